import { useEffect, useRef } from 'preact/hooks';
import { OfflineBanner, SyncProblemBanner, UpdateBanner } from './components/Banners';
import { lazyView } from './components/LazyView';
import { Link } from './components/Link';
import { plain } from './i18n/catalog';
import { language } from './i18n/locale';
import { TabBar } from './components/TabBar';
import { currentHash, currentPath, currentSearch, navigate, routeOf, scrollToHash, type RouteName } from './router';
import { announcement, booted, course, noCourseOnServer, session } from './store';

/** The screen's name (the tab's title, and the heading while its code loads). */
const title = (route: RouteName) => plain(`shell.title.${route}`);

// Only the shell is in the first load: every screen's code (and the message formatter it uses) loads on
// first use with the message areas it names (checked against its code by scripts/check-areas.mjs),
// precached for offline. Today and set-up load while the device's saved data is read.
const Today = lazyView('today', () => import('./views/Today').then((m) => m.Today), ['course', 'errors', 'setup', 'timeline', 'today']);
const Onboarding = lazyView('onboarding', () => import('./views/Onboarding').then((m) => m.Onboarding), ['course', 'errors', 'setup']);
const Timeline = lazyView('timeline', () => import('./views/Timeline').then((m) => m.Timeline), ['setup', 'timeline']);
const Settings = lazyView('settings', () => import('./views/Settings').then((m) => m.Settings), ['course', 'errors', 'jobs', 'settings', 'setup', 'today']);
const Reminders = lazyView('reminders', () => import('./views/Reminders').then((m) => m.Reminders), ['appointments', 'course', 'errors', 'reminders', 'setup']);
const GetReminders = lazyView('get-reminders', () => import('./views/GetReminders').then((m) => m.GetReminders), ['errors', 'reminders', 'setup']);
const Appointments = lazyView('appointments', () => import('./views/Appointments').then((m) => m.Appointments), ['appointments', 'errors', 'reminders', 'setup']);
const Journal = lazyView('journal', () => import('./views/Journal').then((m) => m.Journal), ['checkin', 'errors', 'help', 'jobs', 'setup', 'today']);
const Mood = lazyView('mood', () => import('./views/Mood').then((m) => m.Mood), ['checkin', 'errors', 'help', 'jobs', 'mood', 'setup', 'today']);
const Photos = lazyView('photos', () => import('./views/Photos').then((m) => m.Photos), ['photos']);
const Supply = lazyView('supply', () => import('./views/Supply').then((m) => m.Supply), ['errors', 'jobs', 'setup', 'supply']);
const Charts = lazyView('charts', () => import('./views/Charts').then((m) => m.Charts), ['charts', 'course', 'jobs']);
const Report = lazyView('report', () => import('./views/Report').then((m) => m.Report), ['jobs', 'report']);
const Sources = lazyView('sources', () => import('./views/Sources').then((m) => m.Sources), ['sources']);
const Help = lazyView('help', () => import('./views/Help').then((m) => m.Help), ['errors', 'help', 'setup']);

/** The app icon (a capsule on a teal tile, as drawn by scripts/make-icons.mjs), inline: no request of its own. */
function BrandMark() {
  return (
    <svg class="brand-mark" viewBox="0 0 24 24" width={24} height={24} aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="4.3" fill="#0f5f5c" />
      <g transform="rotate(45 12 12)">
        <path d="M12 9H8.07a3 3 0 0 0 0 6H12Z" fill="#fff" />
        <path d="M12 9h3.93a3 3 0 0 1 0 6H12Z" fill="#a8e2d6" />
      </g>
    </svg>
  );
}

function NotFound() {
  return (
    <div class="view">
      <h1 tabIndex={-1}>{title('not-found')}</h1>
      <p class="link-line">
        <a href="/">{plain('shell.not_found.home')}</a>
      </p>
    </div>
  );
}

function View({ route }: { route: RouteName }) {
  switch (route) {
    case 'today':
      return <Today />;
    case 'timeline':
      return <Timeline />;
    case 'reminders':
      return <Reminders />;
    case 'get-reminders':
      return <GetReminders />;
    case 'appointments':
      return <Appointments />;
    case 'settings':
      return <Settings />;
    case 'onboarding':
      return <Onboarding />;
    case 'sources':
      return <Sources />;
    case 'journal':
      return <Journal />;
    case 'mood':
      return <Mood />;
    case 'photos':
      return <Photos />;
    case 'supply':
      return <Supply />;
    case 'charts':
      return <Charts />;
    case 'report':
      return <Report />;
    case 'help':
      return <Help />;
    default:
      return <NotFound />;
  }
}

/** Where the patient must be: set-up first when there is no account or course yet. */
function guard(route: RouteName): RouteName {
  if (!booted.value) return route;
  const needsSetup = !session.value || (!course.value && noCourseOnServer.value);
  if (needsSetup && route !== 'onboarding' && route !== 'not-found' && route !== 'help') return 'onboarding';
  if (!needsSetup && course.value && route === 'onboarding') return 'today';
  // The weekly mood reminder opens /?checkin=mood (reminders/dispatch.py): that is the mood check.
  if (route === 'today' && new URLSearchParams(currentSearch.value).get('checkin') === 'mood') return 'mood';
  return route;
}

export function App() {
  const requested = routeOf(currentPath.value);
  const route = guard(requested);
  const firstRender = useRef(true);

  useEffect(() => {
    if (route !== requested) navigate(route === 'today' ? '/' : `/${route}`, { replace: true });
  }, [route, requested]);

  useEffect(() => {
    document.title = `${title(route)} · ClearCourse`;
  }, [route, language.value]);

  // Screen readers pick their voice, and browsers their hyphenation, by the page's language.
  useEffect(() => {
    document.documentElement.lang = language.value;
  }, [language.value]);

  const hash = currentHash.value;
  useEffect(() => {
    if (!booted.value) return;
    if (hash) return scrollToHash(hash);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
    window.scrollTo(0, 0);
  }, [route, hash, booted.value]);

  // The header (with "Get help") paints before the device's saved data is read; the screen follows. Get help
  // itself never waits for it: the emergency numbers must show even when the device store is slow.
  const showTabs = booted.value && route !== 'onboarding' && Boolean(course.value);
  return (
    <>
      <a class="skip-link" href="#main">
        {plain('shell.skip')}
      </a>
      <header class="app-header">
        <span class="brand">
          <BrandMark />
          ClearCourse
        </span>
        <Link href="/help" class="help-link" aria-current={route === 'help' ? 'page' : undefined}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1L6.6 10.8Z" />
          </svg>
          {plain('shell.help')}
        </Link>
      </header>
      <div class="banners">
        <UpdateBanner />
        <OfflineBanner />
        <SyncProblemBanner />
      </div>
      <main id="main" tabIndex={-1} class={showTabs ? 'with-tabs' : undefined}>
        {booted.value || route === 'help' ? <View route={route} /> : <p class="boot">{plain('shell.booting')}</p>}
      </main>
      {showTabs && <TabBar />}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announcement.value}
      </div>
    </>
  );
}
