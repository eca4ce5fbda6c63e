import { t } from '../i18n';
import { currentPath, routeOf } from '../router';
import { Link } from './Link';

const PAGES = [
  { href: '/appointments', label: 'appointments.title' },
  { href: '/reminders', label: 'reminders.title' },
];

/** The two screens behind the "Plan" tab, one tap apart. */
export function PlanNav() {
  const active = routeOf(currentPath.value);
  return (
    <nav class="subnav" aria-label="Plan">
      <ul>
        {PAGES.map((page) => (
          <li key={page.href}>
            <Link href={page.href} class="subnav-link" aria-current={routeOf(page.href) === active ? 'page' : undefined}>
              {t(page.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
