// Where the popup app is and where it can go: the same app runs in the toolbar popup and in
// a full tab (`popup.html?report=<id>&tab=1`) for long answers.

export interface LaunchParams {
  reportId?: string;
  inTab: boolean;
}

export function readLaunchParams(search: string = globalThis.location?.search ?? ''): LaunchParams {
  const params = new URLSearchParams(search);
  const report = params.get('report') ?? undefined;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  return { reportId: report && uuid.test(report) ? report : undefined, inTab: params.get('tab') === '1' };
}

export function appUrl(params: { reportId?: string; inTab?: boolean }): string {
  const query = new URLSearchParams();
  if (params.reportId) query.set('report', params.reportId);
  if (params.inTab) query.set('tab', '1');
  const qs = query.toString();
  return `/popup.html${qs ? `?${qs}` : ''}`;
}

/** Open the app (optionally on one report) in a new tab; tabs.create needs no permission. */
export async function openInTab(reportId?: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(appUrl({ reportId, inTab: true }) as '/popup.html') });
}

export async function openOptions(): Promise<void> {
  await browser.runtime.openOptionsPage();
}
