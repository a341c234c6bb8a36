/**
 * The wizard: one screen per phase of the store (like git-stack-cli's Main.tsx). The engine
 * moves the phase; screens select state and call WizardActions, nothing else.
 */
import type { WizardActions } from './flash/actions.js';
import type { Phase } from './flash/events.js';
import { assertNever, type FlashStore } from './store.js';
import { AdapterPicker } from './components/AdapterPicker.js';
import { useFlash } from './components/context.js';
import type { Glyphs } from './components/glyphs.js';
import { useRootKeys } from './components/hooks/useRootKeys.js';
import { ImageScreen } from './components/ImageScreen.js';
import { LoadingImageScreen } from './components/LoadingImageScreen.js';
import { ObserverWaiting } from './components/ObserverWaiting.js';
import { OpeningScreen } from './components/OpeningScreen.js';
import { Providers } from './components/Providers.js';
import { RecoveryScreen } from './components/RecoveryScreen.js';
import { ReloadScreen } from './components/ReloadScreen.js';
import { ReviewScreen } from './components/ReviewScreen.js';
import { StartingScreen } from './components/StartingScreen.js';
import { SummaryScreen } from './components/SummaryScreen.js';
import { TransferScreen } from './components/TransferScreen.js';

/** What a read-only view (attach) can show; before these the other process is still choosing. */
const OBSERVABLE: ReadonlySet<Phase> = new Set([
  'opening',
  'download',
  'validate',
  'reload',
  'summary',
]);

function Screen() {
  const phase = useFlash((s) => s.phase);
  const observer = useFlash((s) => s.observer);
  const recoveryFirst = useFlash((s) => s.phase === 'starting' && !!s.recovery?.needsAttention);
  useRootKeys();
  if (observer && !OBSERVABLE.has(phase)) return <ObserverWaiting />;
  // docs/architecture.md §3.1: an unfinished or aborted attempt is explained before anything else.
  if (recoveryFirst) return <RecoveryScreen />;
  switch (phase) {
    case 'starting':
      return <StartingScreen />;
    case 'recovery':
      return <RecoveryScreen />;
    case 'selectAdapter':
      return <AdapterPicker />;
    case 'selectImage':
      return <ImageScreen />;
    case 'loadingImage':
      return <LoadingImageScreen />;
    case 'review':
      return <ReviewScreen />;
    case 'opening':
      return <OpeningScreen />;
    case 'download':
    case 'validate':
      return <TransferScreen />;
    case 'reload':
      return <ReloadScreen />;
    case 'summary':
      return <SummaryScreen />;
    default:
      return assertNever(phase);
  }
}

export function App({
  store,
  actions,
  glyphs,
}: {
  readonly store: FlashStore;
  readonly actions: WizardActions;
  readonly glyphs?: Glyphs;
}) {
  return (
    <Providers store={store} actions={actions} glyphs={glyphs}>
      <Screen />
    </Providers>
  );
}
