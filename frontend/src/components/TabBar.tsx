import { currentPath, routeOf } from '../router';
import { Link } from './Link';

const TABS = [
  { href: '/', label: 'Today', icon: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Zm0 4v5l3 2' },
  { href: '/timeline', label: 'Timeline', icon: 'M5 4v16M5 6h10l-2 3 2 3H5' },
  { href: '/reminders', label: 'Reminders', icon: 'M6 17V11a6 6 0 0 1 12 0v6l1.5 2h-15L6 17Zm4 4h4' },
  { href: '/settings', label: 'Settings', icon: 'M4 7h10M18 7h2M4 17h4M12 17h8M14 5v4M8 15v4' },
];

export function TabBar() {
  const active = routeOf(currentPath.value);
  return (
    <nav class="tabbar" aria-label="Main">
      <ul>
        {TABS.map((tab) => {
          const current = routeOf(tab.href) === active;
          return (
            <li key={tab.href}>
              <Link href={tab.href} aria-current={current ? 'page' : undefined} class="tab">
                <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <path d={tab.icon} />
                </svg>
                <span>{tab.label}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
