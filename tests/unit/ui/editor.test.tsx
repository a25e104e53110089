import { beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach } from 'vitest';
import { PopupApp } from '../../../components/PopupApp';
import { createHarness, getMessage, selectInAnswer, stubI18n } from './harness';
import type { Report } from '../../../lib/report';
import { COMMON_CATEGORIES } from '../../../components/MarkForm';
import { tabbables } from '../../../components/focusTrap';

/** Pick a category in the mark form: a chip for the common ones, the "More categories" list otherwise. */
function chooseCategory(dialog: HTMLElement, code: string) {
  if ((COMMON_CATEGORIES as readonly string[]).includes(code)) fireEvent.click(within(dialog).getByRole('radio', { name: getMessage(`category_${code}`) }));
  else fireEvent.change(within(dialog).getByRole('combobox', { name: 'More categories' }), { target: { value: code } });
}

const suggestionBox = (dialog: HTMLElement) => within(dialog).getByRole('textbox', { name: /^What would a local say\?|^Suggestion/ });

beforeEach(() => {
  fakeBrowser.reset();
  stubI18n();
});
afterEach(() => {
  cleanup();
  document.getSelection()?.removeAllRanges();
});

async function openEditor(answer: string, extra: { prompt?: string; selection?: { text: string; before: string }; locale?: string } = {}) {
  const { locale, ...capture } = extra;
  const h = await createHarness();
  if (locale) await h.api.setSettings({ default_locale: locale });
  const id = await h.capture({ answer, ...capture });
  render(h.wrap(<PopupApp />));
  const region = await screen.findByRole('region', { name: 'Answer' });
  return { ...h, id, region };
}

async function markRange(
  region: HTMLElement,
  range: [number, number],
  form: { category: string; suggestion?: string; severity?: string; note?: string; alternatives?: string },
) {
  selectInAnswer(region, ...range);
  const mark = screen.getByRole('button', { name: 'Mark' });
  await waitFor(() => expect((mark as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(mark);
  const dialog = await screen.findByRole('dialog', { name: 'New mark' });
  chooseCategory(dialog, form.category);
  if (form.severity) fireEvent.change(within(dialog).getByRole('combobox', { name: 'Severity' }), { target: { value: form.severity.toLowerCase() } });
  if (form.suggestion !== undefined) fireEvent.input(suggestionBox(dialog), { target: { value: form.suggestion } });
  if (form.alternatives !== undefined || form.note !== undefined)
    fireEvent.click(within(dialog).getByRole('button', { name: /Alternatives, note|Add a note/ }));
  if (form.alternatives !== undefined)
    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Alternatives (optional)' }), { target: { value: form.alternatives } });
  if (form.note !== undefined) fireEvent.input(within(dialog).getByRole('textbox', { name: /^Note/ }), { target: { value: form.note } });
  fireEvent.click(within(dialog).getByRole('button', { name: 'Add mark' }));
}

async function storedReport(h: { api: { getReport: (id: string) => Promise<Report> } }, id: string, marks: number) {
  let report!: Report;
  await waitFor(async () => {
    report = await h.api.getReport(id);
    expect(report.highlights).toHaveLength(marks);
  });
  return report;
}

function expectAnchored(report: Report) {
  for (const h of report.highlights) {
    expect(report.answer.slice(h.start, h.end)).toBe(h.exact);
    expect(report.answer.slice(Math.max(0, h.start - h.prefix.length), h.start)).toBe(h.prefix);
    expect(report.answer.slice(h.end, h.end + h.suffix.length)).toBe(h.suffix);
  }
}

describe('the editor’s title', () => {
  it('isolates the site name and the date, so an rtl UI cannot pull the date’s digits into the Latin name', async () => {
    await openEditor('The colour of the lorry was grey.');
    const title = document.querySelector('.editor-title')!;
    const parts = [...title.querySelectorAll('bdi')].map((b) => b.textContent);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe('ChatGPT');
    expect(parts[1]).toMatch(/\d/);
  });
});

describe('the editor marks phrases at exact UTF-16 offsets', () => {
  it('marks a CJK phrase in a zh-TW answer and saves it through the background', async () => {
    const answer = '我們用軟件來播放視頻。\n請下載最新版本的軟件。';
    const h = await openEditor(answer);
    expect(h.region.textContent).toBe(answer);
    expect(h.region.getAttribute('dir')).toBe('auto');

    await markRange(h.region, [3, 5], { category: 'regional_vocabulary', suggestion: '軟體', alternatives: '程式，應用程式' });
    const report = await storedReport(h, h.id, 1);
    expectAnchored(report);
    expect(report.highlights[0]).toMatchObject({
      start: 3,
      end: 5,
      exact: '軟件',
      prefix: '我們用',
      category: 'regional_vocabulary',
      severity: 'minor',
      suggestion: '軟體',
      alternatives: ['程式', '應用程式'],
      source: 'user',
    });
    const mark = await screen.findByRole('button', { name: /Marked “軟件”, Word from another region/ });
    expect(mark.tagName).toBe('MARK');
    // Severity is said and shown as text, not colour alone.
    expect(mark.getAttribute('aria-label')).toMatch(/, Minor: edit or remove$/);
    expect(mark.getAttribute('title')).toMatch(/· Minor$/);
    expect(mark.textContent).toBe('軟件');

    // A second phrase after the first mark: the selection now spans several text nodes.
    const second = answer.indexOf('視頻');
    await markRange(h.region, [second, second + 2], { category: 'regional_vocabulary', suggestion: '影片' });
    const after = await storedReport(h, h.id, 2);
    expectAnchored(after);
    expect(after.highlights.map((x) => x.exact)).toEqual(['軟件', '視頻']);
    expect(h.region.textContent).toBe(answer);
  });

  it('keeps emoji with skin-tone modifiers whole and counts offsets after them in UTF-16', async () => {
    const answer = 'Nice work 👍🏽 on the 🚌 colour scheme!\nThe 👩‍👩‍👧 family liked it.';
    const h = await openEditor(answer);
    const thumb = answer.indexOf('👍');
    // The drag ends between the thumb and its skin-tone modifier: the mark takes both.
    await markRange(h.region, [thumb, thumb + 2], { category: 'cultural_reference', suggestion: '👍', severity: 'Preference' });
    const colour = answer.indexOf('colour');
    await markRange(h.region, [colour, colour + 6], { category: 'spelling_variant', suggestion: 'color' });
    const family = answer.indexOf('👩');
    await markRange(h.region, [family + 1, family + 4], { category: 'other', note: 'emoji family' });

    const report = await storedReport(h, h.id, 3);
    expectAnchored(report);
    expect(report.highlights.map((x) => x.exact)).toEqual(['👍🏽', 'colour', '👩‍👩‍👧']);
    expect(report.highlights[0]).toMatchObject({ start: thumb, end: thumb + 4, severity: 'preference' });
    expect(report.highlights[1]).toMatchObject({ start: colour, end: colour + 6 });
    expect(report.highlights[2]).toMatchObject({ category: 'other', suggestion: '', note: 'emoji family' });
  });

  it('marks phrases in right-to-left Arabic and Hebrew answers', async () => {
    const answer = 'سأرسل لك الفيديو على الإيميل غداً.\nשלחתי לך את הסרטון במייל.';
    const h = await openEditor(answer);
    expect(h.region.getAttribute('dir')).toBe('auto');
    const arabic = answer.indexOf('الإيميل');
    await markRange(h.region, [arabic, arabic + 'الإيميل'.length], { category: 'regional_vocabulary', suggestion: 'البريد الإلكتروني' });
    const hebrew = answer.indexOf('במייל');
    // A drag that takes the trailing space and the period's neighbour is trimmed to the word.
    await markRange(h.region, [hebrew - 1, hebrew + 'במייל'.length], { category: 'register_formality', suggestion: 'בדואר האלקטרוני' });
    const report = await storedReport(h, h.id, 2);
    expectAnchored(report);
    expect(report.highlights.map((x) => x.exact)).toEqual(['الإيميل', 'במייל']);
  });

  it('refuses a mark that overlaps an existing one, with a message', async () => {
    const answer = 'The colour of the lorry is grey.';
    const h = await openEditor(answer);
    await markRange(h.region, [4, 10], { category: 'spelling_variant', suggestion: 'color' });
    await storedReport(h, h.id, 1);
    selectInAnswer(h.region, 8, 16);
    fireEvent.click(screen.getByRole('button', { name: 'Mark' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/overlaps the mark on “colour”/);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens the mark form on the text selected on the page, then forgets the preselection', async () => {
    const answer = 'Take the autocarro to the centre. Call me on my telemóvel.';
    const h = await openEditor(answer, { selection: { text: 'autocarro', before: 'Take the ' } });
    const dialog = await screen.findByRole('dialog', { name: 'New mark' });
    expect(within(dialog).getByText('autocarro').tagName).toBe('MARK');
    // The suggestion field has the focus: typing the local word is the next step.
    await waitFor(() => expect(document.activeElement).toBe(suggestionBox(dialog)));
    fireEvent.input(suggestionBox(dialog), { target: { value: 'ônibus' } });
    chooseCategory(dialog, 'regional_vocabulary');
    fireEvent.submit(within(dialog).getByRole('button', { name: 'Add mark' }).closest('form')!);
    const report = await storedReport(h, h.id, 1);
    expect(report.highlights[0]).toMatchObject({ start: 9, end: 18, exact: 'autocarro', suggestion: 'ônibus' });
    expect(report.preselected).toBeUndefined();
  });

  it('shows field errors in the mark form and closes it with Escape', async () => {
    const h = await openEditor('Dial 911 in an emergency.');
    selectInAnswer(h.region, 5, 8);
    fireEvent.click(screen.getByRole('button', { name: 'Mark' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add mark' }));
    expect(within(dialog).getByText('Choose a category.')).toBeTruthy();
    expect(within(dialog).getByRole('group', { name: 'Category' }).getAttribute('aria-describedby')).toBeTruthy();
    chooseCategory(dialog, 'local_facts');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add mark' }));
    expect(within(dialog).getByText('Type what a local would say.')).toBeTruthy();
    chooseCategory(dialog, 'other');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add mark' }));
    expect(within(dialog).getByText(/For “Other”, say in the note what is wrong/)).toBeTruthy();
    // The note was folded away: the error opens it.
    expect(within(dialog).getByRole('textbox', { name: /^Note/ })).toBeTruthy();

    fireEvent.keyDown(suggestionBox(dialog), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await h.api.getReport(h.id)).highlights).toHaveLength(0);
  });

  it('edits and removes a mark from the mark itself, with Undo', async () => {
    const h = await openEditor('It costs 5 dollars per gallon.');
    const at = 'It costs 5 dollars per '.length;
    await markRange(h.region, [at, at + 6], { category: 'units', suggestion: 'litre' });
    await storedReport(h, h.id, 1);
    const mark = await screen.findByRole('button', { name: /Marked “gallon”/ });
    fireEvent.keyDown(mark, { key: 'Enter' });
    const dialog = await screen.findByRole('dialog', { name: 'Edit mark' });
    fireEvent.input(suggestionBox(dialog), { target: { value: 'litro' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save mark' }));
    await waitFor(async () => expect((await h.api.getReport(h.id)).highlights[0]?.suggestion).toBe('litro'));

    fireEvent.click(await screen.findByRole('button', { name: /Marked “gallon”/ }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Remove mark' }));
    await storedReport(h, h.id, 0);
    fireEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    const restored = await storedReport(h, h.id, 1);
    expect(restored.highlights[0]).toMatchObject({ exact: 'gallon', suggestion: 'litro' });
  });

  it('keeps Tab inside the mark form, and Escape gives the keyboard back to the mark', async () => {
    const h = await openEditor('It costs 5 dollars per gallon.');
    const at = 'It costs 5 dollars per '.length;
    await markRange(h.region, [at, at + 6], { category: 'units', suggestion: 'litre' });
    await storedReport(h, h.id, 1);
    fireEvent.keyDown(await screen.findByRole('button', { name: /Marked “gallon”/ }), { key: 'Enter' });
    const dialog = await screen.findByRole('dialog', { name: 'Edit mark' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const stops = tabbables(dialog);
    stops[stops.length - 1]!.focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(document.activeElement).toBe(stops[0]);
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(stops[stops.length - 1]);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Marked “gallon”/));
  });

  it('marks a typed phrase without a mouse', async () => {
    const h = await openEditor('I love the colour, the colour is lovely.');
    fireEvent.input(screen.getByRole('textbox', { name: 'Phrase to mark' }), { target: { value: 'colour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find and mark' }));
    const dialog = await screen.findByRole('dialog', { name: 'New mark' });
    chooseCategory(dialog, 'spelling_variant');
    fireEvent.input(suggestionBox(dialog), { target: { value: 'color' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add mark' }));
    await storedReport(h, h.id, 1);
    // The same phrase again finds the next, unmarked occurrence.
    fireEvent.click(screen.getByRole('button', { name: 'Find and mark' }));
    const again = await screen.findByRole('dialog', { name: 'New mark' });
    chooseCategory(again, 'spelling_variant');
    fireEvent.input(suggestionBox(again), { target: { value: 'color' } });
    fireEvent.click(within(again).getByRole('button', { name: 'Add mark' }));
    const report = await storedReport(h, h.id, 2);
    expect(report.highlights.map((x) => x.start)).toEqual([11, 23]);
  });

  it('disables Mark until there is a selection inside the answer', async () => {
    const h = await openEditor('Some answer text.');
    const mark = screen.getByRole('button', { name: 'Mark' });
    expect((mark as HTMLButtonElement).disabled).toBe(true);
    selectInAnswer(h.region, 5, 11);
    await waitFor(() => expect((mark as HTMLButtonElement).disabled).toBe(false));
    document.getSelection()!.removeAllRanges();
    fireEvent(document, new Event('selectionchange'));
    await waitFor(() => expect((mark as HTMLButtonElement).disabled).toBe(true));
  });
});

describe('the editor renders the answer as text', () => {
  it('never turns answer text into elements', async () => {
    const answer = 'Try this: <img src=x onerror="alert(1)"> and <script>alert(2)</script>\n<b>bold</b> &amp; <a href="javascript:alert(3)">link</a>';
    const h = await openEditor(answer);
    expect(h.region.textContent).toBe(answer);
    expect(h.region.querySelector('img, script, b, a')).toBeNull();
    expect(document.querySelector('img, script')).toBeNull();
    // Marking inside the markup-looking text keeps it text too.
    const at = answer.indexOf('<script>');
    await markRange(h.region, [at, at + 8], { category: 'other', note: 'markup' });
    const report = await storedReport(h, h.id, 1);
    expect(report.highlights[0]!.exact).toBe('<script>');
    expect(h.region.querySelector('script')).toBeNull();
  });
});

describe('saving the report by itself', () => {
  const status = () => screen.getAllByRole('status').find((el) => el.classList.contains('save-state'))!;

  it('saves locale, model correction, question opt-in and comment without a button; Ready to upload sets the status', async () => {
    const h = await openEditor('Dial 911.', { prompt: 'What do I do in an emergency in Berlin?' });
    const include = screen.getByRole('checkbox', { name: 'Include my question' });
    expect((include as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByText('What do I do in an emergency in Berlin?')).toBeNull();
    fireEvent.click(include);
    expect(await screen.findByText('Show my question')).toBeTruthy();

    // The expected locale is at the top of the report; Change opens it for editing.
    expect(screen.getByText('British English')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Change the expected locale' }));
    fireEvent.input(screen.getByRole('combobox', { name: 'Expected locale' }), { target: { value: 'de-de' } });
    expect(await screen.findByText('Will be saved as de-DE.')).toBeTruthy();
    fireEvent.input(screen.getByRole('textbox', { name: 'Model' }), { target: { value: 'GPT-5 Thinking' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Comment (optional)' }), { target: { value: 'Wrong country.' } });
    expect(status().textContent).toBe('Saving…');
    await waitFor(() => expect(status().textContent).toBe('All changes saved.'), { timeout: 2_000 });
    expect(await h.api.getReport(h.id)).toMatchObject({
      status: 'draft',
      expected_locale: 'de-DE',
      include_prompt: true,
      comment: 'Wrong country.',
      model: { label: 'GPT-5 Thinking', source: 'user' },
    });

    fireEvent.click(screen.getByRole('button', { name: 'Ready to upload' }));
    expect(await screen.findByText(/Saved and ready to upload/)).toBeTruthy();
    expect((await h.api.getReport(h.id)).status).toBe('ready');
    // The keyboard stays on the button that finished the job.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Ready to upload'));
  });

  it('keeps an invalid locale on screen, saves everything else, and says the locale was not saved', async () => {
    const h = await openEditor('Olá, tudo bem?');
    fireEvent.click(screen.getByRole('button', { name: 'Change the expected locale' }));
    const locale = screen.getByRole('combobox', { name: 'Expected locale' });
    fireEvent.input(locale, { target: { value: 'pt_BR' } });
    fireEvent.input(screen.getByRole('textbox', { name: 'Comment (optional)' }), { target: { value: 'Sounds European.' } });
    await waitFor(() => expect(status().textContent).toMatch(/Saved, except the expected locale/), { timeout: 2_000 });
    const stored = await h.api.getReport(h.id);
    expect(stored).toMatchObject({ expected_locale: 'en-GB', comment: 'Sounds European.' });
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toMatch(/did you mean "pt-BR"/);
    expect(screen.getByRole('combobox', { name: 'Expected locale' }).getAttribute('aria-invalid')).toBe('true');

    // Ready to upload refuses rather than storing a report with a locale the user didn't mean.
    fireEvent.click(screen.getByRole('button', { name: 'Ready to upload' }));
    await waitFor(() => expect(status().textContent).toMatch(/^Not saved/));
    expect((await h.api.getReport(h.id)).status).toBe('draft');

    fireEvent.input(screen.getByRole('combobox', { name: 'Expected locale' }), { target: { value: 'pt' } });
    expect(await screen.findByText(/Which Portuguese\? Add the region, for example pt-BR, pt-PT/)).toBeTruthy();
  });

  it('says what is wrong with a typed locale once the user pauses, and Enter saves at once', async () => {
    const h = await openEditor('Olá!');
    fireEvent.click(screen.getByRole('button', { name: 'Change the expected locale' }));
    const locale = screen.getByRole('combobox', { name: 'Expected locale' });
    fireEvent.input(locale, { target: { value: 'english' } });
    expect(await screen.findByText(/"english" is not a valid BCP 47 locale tag/, {}, { timeout: 2_000 })).toBeTruthy();
    fireEvent.input(locale, { target: { value: 'pt-PT' } });
    fireEvent.submit(locale.closest('form')!);
    expect(await screen.findByText('Saved as a draft.')).toBeTruthy();
    expect((await h.api.getReport(h.id)).expected_locale).toBe('pt-PT');
  });

  it('says "Not saved" with the reason when the background refuses a change, next to its field', async () => {
    const h = await openEditor('Short answer.');
    fireEvent.input(screen.getByRole('textbox', { name: 'Comment (optional)' }), { target: { value: 'x'.repeat(5_001) } });
    await waitFor(() => expect(status().textContent).toMatch(/^Not saved/), { timeout: 2_000 });
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toMatch(/Comment \(optional\): must be at most 5,000 characters/);
    const comment = screen.getByRole('textbox', { name: 'Comment (optional)' });
    expect(comment.getAttribute('aria-invalid')).toBe('true');
    expect((await h.api.getReport(h.id)).comment).toBeUndefined();
  });

  it('saves at once when the popup closes, without waiting for the timer', async () => {
    const h = await openEditor('Take the lift.');
    fireEvent.input(screen.getByRole('textbox', { name: 'Comment (optional)' }), { target: { value: 'typed just before closing' } });
    cleanup(); // the popup closes: the editor unmounts mid-edit
    await waitFor(async () => expect((await h.api.getReport(h.id)).comment).toBe('typed just before closing'), { timeout: 300 });
  });
});

describe('suggested marks', () => {
  const ZH = '這個視頻的質量很好。我們用軟件處理信息，網絡很快。';

  it('lists the mainland words in a zh-TW answer with the local wording, category and source', async () => {
    await openEditor(ZH, { locale: 'zh-TW' });
    const panel = await screen.findByRole('region', { name: 'Likely mismatches (5)' });
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.mark-exact')!.textContent + '→' + li.querySelector('.mark-suggestion')!.textContent)).toEqual([
      '視頻→影片',
      '質量→品質',
      '軟件→軟體',
      '信息→資訊',
      '網絡→網路',
    ]);
    expect(items[0]!.textContent).toContain('Word from another region · OpenCC, Taiwan');
    // The first Accept has the keyboard: accepting is one key press away.
    await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('button', { name: 'Accept: mark “視頻”, a local would say “影片”' })));
  });

  it('accepts one as a mark with source glossary:<name>, editable like any mark', async () => {
    const h = await openEditor(ZH, { locale: 'zh-TW' });
    fireEvent.click(await screen.findByRole('button', { name: 'Accept: mark “軟件”, a local would say “軟體”' }));
    const report = await storedReport(h, h.id, 1);
    expectAnchored(report);
    expect(report.highlights[0]).toMatchObject({
      exact: '軟件',
      start: ZH.indexOf('軟件'),
      end: ZH.indexOf('軟件') + 2,
      suggestion: '軟體',
      category: 'regional_vocabulary',
      source: 'glossary:opencc-tw',
    });
    expect(screen.queryByRole('button', { name: /Accept: mark “軟件”/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Edit mark “軟件”' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit mark' });
    fireEvent.input(suggestionBox(dialog), { target: { value: '軟體程式' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save mark' }));
    await waitFor(async () => expect((await h.api.getReport(h.id)).highlights[0]).toMatchObject({ suggestion: '軟體程式', source: 'glossary:opencc-tw' }));
  });

  it('keeps a dismissed suggestion dismissed for that report, also after reopening it', async () => {
    const h = await openEditor(ZH, { locale: 'zh-TW' });
    fireEvent.click(await screen.findByRole('button', { name: 'Dismiss the suggestion for “質量”' }));
    await waitFor(async () => expect((await h.api.getReport(h.id)).dismissed_suggestions).toEqual(['glossary:curated-zh@5-7']));
    cleanup();
    render(h.wrap(<PopupApp initialReportId={h.id} />));
    const panel = await screen.findByRole('region', { name: 'Likely mismatches (4)' });
    expect(panel.textContent).not.toContain('質量');
  });

  it('Accept all marks every suggestion at its offsets', async () => {
    const h = await openEditor(ZH, { locale: 'zh-TW' });
    fireEvent.click(await screen.findByRole('button', { name: 'Accept all 5' }));
    const report = await storedReport(h, h.id, 5);
    expectAnchored(report);
    expect(report.highlights.map((x) => [x.exact, x.suggestion])).toEqual([
      ['視頻', '影片'],
      ['質量', '品質'],
      ['軟件', '軟體'],
      ['信息', '資訊'],
      ['網絡', '網路'],
    ]);
    expect(screen.queryByRole('region', { name: /Likely mismatches/ })).toBeNull();
  });

  it('follows the expected locale: the same answer for an en-GB reader shows British spelling', async () => {
    await openEditor('The color of the center is gray. Take the elevator.');
    const panel = await screen.findByRole('region', { name: /Likely mismatches/ });
    expect(
      within(panel)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.mark-suggestion')!.textContent),
    ).toEqual(['colour', 'centre', 'grey', 'lift']);
  });
});

describe('keyboard and first run', () => {
  it('selects answer text word by word with Shift+arrows and marks it with Enter', async () => {
    const answer = 'Take the parking lot exit.';
    const h = await openEditor(answer);
    h.region.focus();
    // Put the caret before "parking" (→ goes to word ends: Take, the), then select two words.
    for (const key of ['ArrowRight', 'ArrowRight']) fireEvent.keyDown(h.region, { key });
    fireEvent.keyDown(h.region, { key: 'ArrowRight', shiftKey: true });
    fireEvent.keyDown(h.region, { key: 'ArrowRight', shiftKey: true });
    fireEvent(document, new Event('selectionchange'));
    expect(screen.getByText('Selected: parking lot')).toBeTruthy();
    fireEvent.keyDown(h.region, { key: 'Enter' });
    const dialog = await screen.findByRole('dialog', { name: 'New mark' });
    expect(within(dialog).getByText('parking lot').tagName).toBe('MARK');
    fireEvent.input(suggestionBox(dialog), { target: { value: 'car park' } });
    chooseCategory(dialog, 'regional_vocabulary');
    fireEvent.submit(suggestionBox(dialog).closest('form')!);
    const report = await storedReport(h, h.id, 1);
    expect(report.highlights[0]).toMatchObject({ exact: 'parking lot', start: 9, end: 20 });
  });

  it('puts the keyboard on the report just left after Back', async () => {
    const h = await openEditor('Take the lift.');
    fireEvent.click(screen.getByRole('button', { name: /Back to reports/ }));
    await waitFor(() => expect((document.activeElement as HTMLElement | null)?.closest('.report-row')?.getAttribute('data-report-id')).toBe(h.id));
    expect(document.activeElement?.textContent).toBe('Open');
  });

  it('asks a new user for their locale first, suggested from the browser, one click to confirm', async () => {
    const h = await createHarness({}, { firstRun: true });
    const id = await h.capture({ answer: 'The color is nice.' });
    render(h.wrap(<PopupApp />));
    const use = await screen.findByRole('button', { name: /^Use .+ \(en-US\)$/ });
    await waitFor(() => expect(document.activeElement).toBe(use));
    expect(screen.queryByRole('region', { name: 'Answer' })).toBeNull();
    fireEvent.click(use);
    // Then the report just captured, for that locale.
    await screen.findByRole('region', { name: 'Answer' });
    expect((await h.api.getState()).settings.default_locale).toBe('en-US');
    expect((await h.api.getReport(id)).expected_locale).toBe('en-US');
  });
});
