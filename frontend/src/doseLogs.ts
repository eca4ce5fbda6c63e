/** The course's dose logs for the chart and the fill-in list: the saved copy at once, then the server's. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import * as db from './lib/db';
import type { Course, DoseLog } from './types';

export function useDoseLogs(course: Course, today: string, version = 0): { logs: DoseLog[] | null; stale: boolean } {
  const [logs, setLogs] = useState<DoseLog[] | null>(null);
  const [stale, setStale] = useState(false);
  useEffect(() => {
    let live = true;
    const epoch = db.deviceEpoch();
    void db.getDoseLogs(course.id).then((saved) => live && saved && setLogs((now) => now ?? saved.data));
    api.doses(course.id, course.start_date, today).then(
      async (fresh) => {
        await db.putDoseLogs(course.id, fresh, () => epoch === db.deviceEpoch());
        if (live) {
          setLogs(fresh);
          setStale(false);
        }
      },
      () => live && setStale(true),
    );
    return () => {
      live = false;
    };
  }, [course.id, course.updated_at, today, version]);
  return { logs, stale };
}
