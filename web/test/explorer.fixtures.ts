import type { ChannelStats, NmiListing, Reading } from '../src/explorer/explorerModel';

export const listing: NmiListing = {
  nmis: [
    {
      nmi: 'NCDE001111',
      channels: [
        { suffix: 'B1', uom: 'Wh', unit: 'kWh', energy: true, intervalLength: 15, firstReading: '2003-11-01T00:15:00+10:00', lastReading: '2003-12-06T00:00:00+10:00', firstDate: '2003-11-01', lastDate: '2003-12-05' },
        { suffix: 'E1', uom: 'Wh', unit: 'kWh', energy: true, intervalLength: 15, firstReading: '2003-11-01T00:15:00+10:00', lastReading: '2003-12-06T00:00:00+10:00', firstDate: '2003-11-01', lastDate: '2003-12-05' },
        { suffix: 'Q1', uom: 'VArh', unit: 'VArh', energy: false, intervalLength: 15, firstReading: '2003-12-04T00:15:00+10:00', lastReading: '2003-12-06T00:00:00+10:00', firstDate: '2003-12-04', lastDate: '2003-12-05' },
      ],
    },
    {
      nmi: 'NDDD001888',
      channels: [{ suffix: 'B1', uom: 'Wh', unit: 'kWh', energy: true, intervalLength: 15, firstReading: '2003-12-04T00:15:00+10:00', lastReading: '2003-12-06T00:00:00+10:00', firstDate: '2003-12-04', lastDate: '2003-12-05' }],
    },
  ],
  nextCursor: null,
  recent: [],
};

export const stats: ChannelStats = {
  nmi: 'NCDE001111',
  suffix: 'E1',
  unit: 'kWh',
  energy: true,
  from: '2003-12-04T00:00:00+10:00',
  to: '2003-12-06T00:00:00+10:00',
  granularity: 'day',
  readings: 192,
  days: 2,
  total: '1921.5',
  average: '0.010008',
  dailyAverage: '960.75',
  peak: { intervalEnd: '2003-12-05T18:30:00+10:00', value: '0.25' },
  quality: [
    { flag: 'A', readings: 190, total: '1921' },
    { flag: 'S', readings: 2, total: '0.5' },
  ],
  series: [
    { period: '2003-12-04', readings: 96, total: '960' },
    { period: '2003-12-05', readings: 96, total: '961.5' },
  ],
  profile: [
    { time: '00:15', readings: 2, average: '0.01' },
    { time: '24:00', readings: 2, average: '0.02' },
  ],
};

export function readings(count: number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    intervalEnd: `2003-12-04T${String(Math.floor(i / 4) % 24).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}:00+10:00`,
    value: String(i),
    kwh: String(i / 1000),
    quality: i % 10 === 0 ? 'S' : 'A',
    method: i % 10 === 0 ? 14 : null,
    reasonCode: null,
    updatedAt: '2003-12-06T01:00:00+10:00',
  }));
}
