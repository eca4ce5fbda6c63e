import { lazyPanel } from './LazyView';

/** The cumulative dose chart, its code and its words loaded when it is first shown. */
export const DoseChart = lazyPanel(() => import('./CumulativeDoseChart').then((m) => m.CumulativeDoseChart), ['charts', 'course']);
