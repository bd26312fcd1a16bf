/**
 * Placeholder for the Readings explorer (a later issue): it will query the loaded readings through
 * /api/** (firebase.json rewrites it to the `api` function).
 */
export function ExplorerPage() {
  return (
    <section className="panel" aria-labelledby="explorer-title">
      <h2 id="explorer-title">Readings explorer</h2>
      <p>Not built yet: browsing the loaded readings by NMI and day will live here.</p>
      <p>
        <a href="#/">Back to your uploads</a>
      </p>
    </section>
  );
}
