import { render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiRequestError, type ApiGet } from '../src/apiClient';
import { Overview, useOverview, type OverviewFigures } from '../src/uploads/Overview';

const figures: OverviewFigures = { filesLoaded: 41, readings: 3_504_000, nmis: 200, latestDay: '2024-12-30', inFlight: 2, failedLast7Days: 3 };

function Wired({ get, refresh }: { get: ApiGet; refresh: string }) {
  return <Overview overview={useOverview(get, refresh)} />;
}

describe('the overview', () => {
  it('shows the figures of the organisation', () => {
    render(<Overview overview={{ state: 'ready', figures }} />);
    const facts = within(screen.getByTestId('overview'));
    expect(facts.getAllByRole('term').map((term) => `${term.textContent}: ${term.nextSibling?.textContent}`)).toEqual([
      'Files loaded: 41',
      'Readings: 3,504,000',
      'NMIs: 200',
      'Latest data day: 2024-12-30',
      'Uploads in progress: 2',
      'Failed, last 7 days: 3',
    ]);
    expect(facts.getByText('Failed, last 7 days').parentElement).toHaveClass('overview-bad');
  });

  it('asks the API again when an upload moves, and says why it cannot', async () => {
    const asked: string[] = [];
    let answer: () => Promise<unknown> = async () => figures;
    const get = (async (path: string) => {
      asked.push(path);
      return answer();
    }) as ApiGet;
    function Page() {
      const [refresh, setRefresh] = useState('a:loading');
      return (
        <>
          <button type="button" onClick={() => setRefresh('a:done')}>
            moved
          </button>
          <Wired get={get} refresh={refresh} />
        </>
      );
    }
    render(<Page />);
    expect(screen.getByRole('status')).toHaveTextContent('Adding up your data…');
    await screen.findByText('3,504,000');
    answer = async () => {
      throw new ApiRequestError(503, 'DATABASE_UNAVAILABLE', 'The database is unavailable or too busy; try again shortly.');
    };
    screen.getByRole('button', { name: 'moved' }).click();
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('The overview cannot be shown: The database is unavailable'));
    expect(asked).toEqual(['/overview', '/overview']);
  });
});
