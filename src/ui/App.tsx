import { lazy, Suspense } from 'react';
import { useStudio } from '../state/store';
import { BackendStatus } from './BackendStatus';
import { FaultMessages } from './FaultMessages';
import { OfflineStatus } from '../pwa/OfflineStatus';
import { DataPanel } from './panels/DataPanel';
import { EnsemblePanel } from './panels/EnsemblePanel';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { ExportPanel } from './panels/ExportPanel';
import { LibraryPanel } from './panels/LibraryPanel';
import { LossPanel } from './panels/LossPanel';
import { SettingsPanel } from './panels/SettingsPanel';
import { SweepPanel } from './panels/SweepPanel';
import { StudentPanel } from './panels/StudentPanel';
import { TeacherPanel } from './panels/TeacherPanel';
import { TransferPanel } from './panels/TransferPanel';
import { SynthGrid } from './panels/SynthGrid';
import { RunBar } from './RunBar';
import { StudioTools } from './presenter/StudioTools';
import { ResultsTable } from './ResultsTable';
import { OmittedClassView } from './views/OmittedClassView';
import { ExplainPanel } from './views/ExplainPanel';
import { ResultViews } from './views/ResultViews';
import { BoundaryView } from './views/BoundaryView';
import { SweepHeatmap } from './SweepHeatmap';
import { RunsView } from './views/RunsView';

const Charts = lazy(() => import('./charts/Charts'));
// Not needed to start: its own chunk keeps the first load small (tests/product-bundle.test.ts).
const TryIt = lazy(() => import('./try-it/TryIt').then((m) => ({ default: m.TryIt })));
const SizeSweep = lazy(() => import('./SizeSweep'));

function Messages() {
  const fatal = useStudio((s) => s.fatal);
  const error = useStudio((s) => s.error);
  const notice = useStudio((s) => s.notice);
  return (
    <>
      {(fatal || error) && (
        <div role="alert" className="message error">
          {fatal ?? error}
        </div>
      )}
      <FaultMessages />
      <div aria-live="polite" className="message notice">
        {notice}
      </div>
    </>
  );
}

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Distill Studio</h1>
        <p className="tagline">Distil a big teacher into a small student, live, in your browser. Nothing leaves this page.</p>
        <BackendStatus />
        <OfflineStatus />
        <StudioTools />
      </header>
      <RunBar />
      <aside className="sidebar" aria-label="Setup">
        <DataPanel />
        <TeacherPanel />
        <StudentPanel />
        <SettingsPanel />
        <p className="group-label">More: one click away</p>
        <EnsemblePanel />
        <LossPanel />
        <TransferPanel />
        <SweepPanel />
        <ExperimentPanel />
        <ExportPanel />
        <LibraryPanel />
      </aside>
      <main className="main">
        <Messages />
        <ResultsTable />
        <ExplainPanel />
        <Suspense fallback={<div className="charts charts-loading">Loading charts…</div>}>
          <Charts />
        </Suspense>
        <SynthGrid />
        <BoundaryView />
        <Suspense fallback={null}>
          <TryIt />
        </Suspense>
        <ResultViews />
        <OmittedClassView />
        <SweepHeatmap />
        <Suspense fallback={null}>
          <SizeSweep />
        </Suspense>
        <RunsView />
      </main>
    </div>
  );
}
