import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, lazy, Suspense, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { Session } from './api/session';
import type { SessionUser } from './api/types';
import { DeadlinesPage } from './deadlines/deadlines-page';
import { FeedPage } from './feed/feed-page';
import { InboxPage } from './inbox/inbox-page';
import { IncidentPage } from './incident/incident-page';
import { DEADLINES_PATH, LiveBridge, ONCALL_PATH, WATCHLIST_PATH } from './live/live-bridge';
import { LiveConnection } from './live/live-connection';
import { LoginPage } from './login-page';
import { OnCallPage } from './oncall/oncall-page';
import { PagedNotice } from './oncall/paged-notice';
import { RULES_PATH, RulesPage } from './oncall/rules-page';
import { SubmitPage } from './submit/submit-page';
import { WatchlistPage } from './watchlist/watchlist-page';
import { ConnectionStatus } from './ui/connection-status';
import { LanguageSwitch } from './ui/language-switch';
import { NavBar } from './ui/nav-bar';

const session = new Session();
/** The overview and its charting library load when the page is first opened. */
const OverviewPage = lazy(() =>
  import('./overview/overview-page').then((module) => ({ default: module.OverviewPage })),
);

interface Signed {
  session: Session;
  user: SessionUser;
  live: LiveConnection;
  /** The feed's selection and filters (its URL search), kept while another page is shown. */
  feed: {
    selected: string | null;
    setSelected: (id: string | null) => void;
    search: string;
    setSearch: (search: string) => void;
  };
}

const SignedContext = createContext<Signed | null>(null);

export function useSigned(): Signed {
  const signed = useContext(SignedContext);
  if (!signed) throw new Error('useSigned outside a signed-in page');
  return signed;
}

export function App() {
  const user = useSyncExternalStore(session.subscribe, session.user);
  return user ? <SignedIn key={user.id} user={user} /> : <LoginPage session={session} />;
}

function SignedIn({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const queryClient = useMemo(
    () =>
      new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 30_000 } } }),
    [],
  );
  const live = useMemo(() => new LiveConnection(`corridor.live.${user.id}`, session.token), [user.id]);
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');

  useEffect(() => {
    live.open();
    return () => live.close();
  }, [live]);

  const logout = () => {
    live.forget();
    live.close();
    queryClient.clear();
    // The next person starts at the feed, not on the page the last one had open.
    window.history.replaceState(null, '', '/');
    void session.logout();
  };

  const signed: Signed = { session, user, live, feed: { selected, setSelected, search, setSearch } };
  return (
    <QueryClientProvider client={queryClient}>
      <SignedContext.Provider value={signed}>
        <BrowserRouter>
          <LiveBridge />
          <header className="top">
            <a href="#main" className="skip">
              {t('nav.skip')}
            </a>
            <Link to="/" className="brand">
              {t('app.title')}
            </Link>
            <ConnectionStatus live={live} />
            <span className="who">{t('app.signedInAs', { name: user.name || user.email })}</span>
            <LanguageSwitch />
            <button type="button" onClick={logout}>
              {t('app.logout')}
            </button>
          </header>
          <PagedNotice />
          <div className="frame">
            <NavBar />
            <main id="main" tabIndex={-1}>
              <Routes>
                <Route path="/" element={<FeedPage />} />
                <Route path="/inbox" element={<InboxPage />} />
                <Route
                  path="/overview"
                  element={
                    <Suspense fallback={<p>{t('common.loading')}</p>}>
                      <OverviewPage />
                    </Suspense>
                  }
                />
                <Route path="/incidents/:id" element={<IncidentPage />} />
                <Route path="/submit" element={<SubmitPage />} />
                <Route path={WATCHLIST_PATH} element={<WatchlistPage />} />
                <Route path={ONCALL_PATH} element={<OnCallPage />} />
                <Route path={RULES_PATH} element={<RulesPage />} />
                <Route path={DEADLINES_PATH} element={<DeadlinesPage />} />
                <Route path="*" element={<p>{t('app.notFound')}</p>} />
              </Routes>
            </main>
          </div>
        </BrowserRouter>
      </SignedContext.Provider>
    </QueryClientProvider>
  );
}
