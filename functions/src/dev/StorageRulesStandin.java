// StorageRulesStandin: a DEVELOPMENT-ONLY stand-in for Google's Cloud Storage rules runtime
// (cloud-storage-rules-runtime-v*.jar), which firebase-tools normally downloads from the internet
// and which cannot be downloaded on machines without internet access.
//
// It does NOT evaluate storage.rules. It accepts any ruleset and PERMITS EVERY REQUEST, so nothing
// about storage.rules can be concluded from an emulator run that uses it. Admin SDK requests skip the
// rules anyway; client (web SDK) requests are all allowed.
//
// functions/src/dev/emulators.ts compiles it (javac + jar, into .data/emulators/) only when the real
// runtime is not in firebase-tools' emulator cache, and points STORAGE_EMULATOR_BINARY_PATH at it.
// firebase-tools then runs `java -jar <that jar> serve` and speaks newline-delimited JSON on
// stdin/stdout (lib/emulator/storage/rules/runtime.js): every request is {..., "id": N} with the id
// as the last key; a reply is {"id": N, "status": "ok", "result": ..., "errors": [], "warnings": []}.
// Uses only the JDK; compiled with --release 11.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class StorageRulesStandin {
  private static final Pattern ID = Pattern.compile("\"id\":(-?\\d+)\\}\\s*$");
  private static final Pattern ACTION = Pattern.compile("^\\{\"action\":\"([a-z_]+)\"");

  public static void main(String[] args) throws Exception {
    // firebase-tools waits for a reply to request id -1 before it considers the runtime started.
    System.out.println("{\"id\":-1,\"status\":\"ok\",\"errors\":[],\"warnings\":[]}");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      Matcher id = ID.matcher(line);
      if (!id.find()) continue;
      Matcher action = ACTION.matcher(line);
      String name = action.find() ? action.group(1) : "";
      // load_ruleset: pretend the ruleset compiled; verify (and anything else): permit.
      String result = name.equals("load_ruleset") ? "{\"rulesVersion\":2}" : "{\"permit\":true}";
      System.out.println("{\"id\":" + id.group(1) + ",\"status\":\"ok\",\"result\":" + result
          + ",\"errors\":[],\"warnings\":[]}");
      System.out.flush();
    }
  }
}
