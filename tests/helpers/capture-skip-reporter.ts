// A vitest reporter that says once, at the end of a run, how many tests on the real
// captures were skipped because ../shared/fixtures is missing (a clone without it), so a
// green run without them never looks like a full one.
import type { Reporter, TestModule } from 'vitest/node';
import { HAS_SHARED_CAPTURES, SHARED_LABEL } from './shared-root';

export default class CaptureSkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    if (HAS_SHARED_CAPTURES) return;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) if (test.meta().sharedCapture && test.result().state === 'skipped') skipped++;
    }
    if (skipped) console.log(`\n${skipped} capture tests skipped: ${SHARED_LABEL} not found\n`);
  }
}
