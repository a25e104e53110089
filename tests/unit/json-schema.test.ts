// The committed JSON Schemas are generated from the zod schemas in lib/report.ts and lib/drive.ts, the one
// definition of the format. Regenerate with `npm run schema` after changing the format.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from '../../lib/zod';
import { Report, UploadedReport } from '../../lib/report';
import { DriveManifest } from '../../lib/drive';

const SCHEMAS = {
  'report.schema.json': { schema: Report, title: 'Sounds Local report (as stored and exported), sounds-local/report v1' },
  'uploaded-report.schema.json': { schema: UploadedReport, title: 'Sounds Local report (as uploaded), sounds-local/report v1' },
  'drive-manifest.schema.json': { schema: DriveManifest, title: 'Sounds Local feedback drive manifest' },
};

describe('the generated JSON Schema', () => {
  for (const [file, { schema, title }] of Object.entries(SCHEMAS)) {
    it(`schema/${file} matches its zod schema in lib/`, () => {
      const generated =
        JSON.stringify({ $id: `https://soundslocal.org/schema/${file}`, title, ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) }, null, 2) +
        '\n';
      const path = resolve(__dirname, '../../schema', file);
      if (process.env.UPDATE_SCHEMA) writeFileSync(path, generated);
      expect(existsSync(path), `run npm run schema to write ${file}`).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe(generated);
    });
  }
});
