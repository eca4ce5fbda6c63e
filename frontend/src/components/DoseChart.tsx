import { lazyPanel } from './LazyView';

/** The cumulative dose chart, its code and its words loaded when it is first shown (the Timeline is in the first load). */
export const DoseChart = lazyPanel(() => import('./CumulativeDoseChart').then((m) => m.CumulativeDoseChart));
