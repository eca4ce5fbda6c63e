import { plain } from '../i18n/catalog';
import { currentPath, routeOf, type RouteName } from '../router';
import { Link } from './Link';

interface Tab {
  href: string;
  /** The shell message naming it. */
  label: string;
  icon: string;
  /** Every route this tab stands for (its sub-screens included). */
  routes: RouteName[];
}

const TABS: Tab[] = [
  { href: '/', label: 'shell.title.today', icon: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm0 4v5l3 2', routes: ['today'] },
  { href: '/timeline', label: 'shell.title.timeline', icon: 'M5 4v16M5 6h10l-2 3 2 3H5', routes: ['timeline'] },
  {
    href: '/journal',
    label: 'shell.title.journal',
    icon: 'M6 3h10l3 3v15H6V3Zm3 6h7M9 13h7M9 17h4',
    routes: ['journal', 'mood', 'photos', 'supply', 'charts', 'report'],
  },
  {
    href: '/appointments',
    label: 'shell.tab.plan',
    icon: 'M4 6h16v14H4zM4 10h16M8 3v5M16 3v5M8 14h3',
    routes: ['appointments', 'reminders', 'get-reminders'],
  },
  { href: '/settings', label: 'shell.tab.settings', icon: 'M4 7h10M18 7h2M4 17h4M12 17h8M14 5v4M8 15v4', routes: ['settings'] },
];

export function TabBar() {
  const active = routeOf(currentPath.value);
  return (
    <nav class="tabbar" aria-label={plain('shell.tabs')}>
      <ul>
        {TABS.map((tab) => {
          const current = tab.routes.includes(active);
          return (
            <li key={tab.href}>
              <Link href={tab.href} aria-current={current ? 'page' : undefined} class="tab">
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d={tab.icon} />
                </svg>
                <span>{plain(tab.label)}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
