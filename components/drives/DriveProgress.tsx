// The popup's drive progress (DESIGN §9): per joined, active drive, the counts from its
// endpoint's /v1/stats (fetched by the background with the drive's token, cached there) and
// the member's own count. Shown with the cached numbers first; never blocks the editor.
import { useEffect, useState } from 'preact/hooks';
import type { DriveProgress as Progress, DriveSummary } from '@/lib/ui/api';
import { t, tp, uiLanguage } from '@/lib/ui/i18n';
import { useServices } from '../services';

export function DriveProgressList(props: { drives: readonly DriveSummary[] }) {
  const shown = props.drives.filter((d) => d.state === 'active' || d.state === 'upcoming');
  if (!shown.length) return null;
  return (
    <section class="drive-progress-list" aria-label={t('driveProgressTitle')}>
      {shown.map((drive) => (
        <DriveProgressCard key={drive.id} drive={drive} />
      ))}
    </section>
  );
}

function DriveProgressCard(props: { drive: DriveSummary }) {
  const { api } = useServices();
  const { drive } = props;
  const [progress, setProgress] = useState<Progress | null>(drive.progress ? { progress: drive.progress, own: { reports: 0, uploaded: 0 } } : null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    api.driveProgress(drive.id).then(
      (p) => {
        if (!live) return;
        setProgress(p);
        setLoading(false);
      },
      () => live && setLoading(false),
    );
    return () => {
      live = false;
    };
  }, [drive.id]);

  const number = new Intl.NumberFormat(uiLanguage());
  const stats = progress?.progress?.stats;
  const goal = stats?.drive?.goal_reports ?? drive.goal_reports ?? null;
  const reports = stats?.reports ?? 0;
  const titleId = `progress-${drive.id}`;
  return (
    <article class="drive-progress" aria-labelledby={titleId}>
      <h2 id={titleId} class="drive-progress-title" dir="auto">
        {drive.name}
      </h2>
      {stats ? (
        <>
          <p class="drive-progress-count">
            {goal ? t('driveProgressGoal', [number.format(reports), number.format(goal)]) : tp('driveProgressReports', reports)}
            {stats.highlights !== undefined ? ` · ${tp('driveProgressMarks', stats.highlights)}` : ''}
          </p>
          {goal ? (
            <div
              class="progress"
              role="progressbar"
              aria-label={t('driveProgressBar', drive.name)}
              aria-valuemin={0}
              aria-valuemax={goal}
              aria-valuenow={Math.min(reports, goal)}
            >
              <div class="progress-fill" style={{ width: `${Math.min(100, Math.round((reports / goal) * 100))}%` }} />
            </div>
          ) : null}
        </>
      ) : (
        <p class="muted">{loading ? t('driveProgressLoading') : t('driveProgressNone')}</p>
      )}
      {progress && !loading ? (
        <p class="drive-progress-own">{t('driveProgressOwn', [number.format(progress.own.uploaded), number.format(progress.own.reports)])}</p>
      ) : null}
      {progress?.error ? <p class="help">{progress.error}</p> : null}
    </article>
  );
}
