import { describe, expect, it } from 'vitest';
import { chineseEntries, chineseRegion, chineseVocabulary, toSimplified } from '../../../lib/glossary/sources/chinese';
import { loadSources, suggestAll } from '../../../lib/glossary';
import { expectAnchored, pairs } from './helpers';

describe('Chinese regional vocabulary (OpenCC phrase dictionaries)', () => {
  it('suggests Taiwan vocabulary for mainland words in a zh-TW answer', async () => {
    const answer = '這個視頻的質量很好。我們用軟件處理信息，網絡很快。';
    const found = suggestAll(await loadSources('zh-TW'), answer, 'zh-TW');
    expectAnchored(answer, found);
    expect(pairs(found)).toEqual([
      ['視頻', '影片'],
      ['質量', '品質'],
      ['軟件', '軟體'],
      ['信息', '資訊'],
      ['網絡', '網路'],
    ]);
    expect(found.find((s) => s.exact === '視頻')?.source).toBe('glossary:opencc-tw');
    expect(found.find((s) => s.exact === '質量')?.source).toBe('glossary:curated-zh');
  });

  it('finds the mainland words written in Simplified characters too', () => {
    const found = chineseVocabulary('TW').suggest('用软件看视频', 'zh-TW');
    expect(pairs(found)).toEqual([
      ['软件', '軟體'],
      ['视频', '影片'],
    ]);
  });

  it('does not call a Traditional/Simplified script difference a vocabulary mismatch', () => {
    // 資訊 and 资讯 are the same word in two scripts: a Taiwan reader's own vocabulary.
    const entries = chineseEntries('TW');
    expect(entries.every((e) => toSimplified(e.term) !== toSimplified(e.suggestion))).toBe(true);
    expect(chineseVocabulary('TW').suggest('台灣的資訊和軟體', 'zh-TW')).toEqual([]);
  });

  it('takes the longest phrase where dictionary terms overlap', () => {
    const found = chineseVocabulary('TW').suggest('信息技術很重要', 'zh-TW');
    expect(pairs(found)).toContainEqual(['信息技術', '資訊科技']);
    const chosen = suggestAll([chineseVocabulary('TW')], '信息技術很重要', 'zh-TW');
    expect(pairs(chosen)).toEqual([['信息技術', '資訊科技']]);
  });

  it('suggests mainland words in Simplified characters to a zh-CN reader', () => {
    const found = chineseVocabulary('CN').suggest('這部影片用的軟體，软体', 'zh-CN');
    expect(pairs(found)).toEqual([
      ['影片', '视频'],
      ['軟體', '软件'],
      ['软体', '软件'],
    ]);
  });

  it('uses the Hong Kong dictionary for zh-HK and zh-MO', () => {
    expect(chineseRegion('zh-HK')).toBe('HK');
    expect(chineseRegion('zh-MO')).toBe('HK');
    expect(chineseRegion('zh-Hant-TW')).toBe('TW');
    expect(chineseRegion('zh-SG')).toBe('CN');
    expect(chineseRegion('ja-JP')).toBeUndefined();
    expect(pairs(chineseVocabulary('HK').suggest('打開文件夾和服務器', 'zh-HK'))).toEqual([
      ['文件夾', '資料夾'],
      ['服務器', '伺服器'],
    ]);
  });

  it('says nothing to a reader of another locale', () => {
    expect(chineseVocabulary('TW').suggest('視頻', 'zh-CN')).toEqual([]);
    expect(chineseVocabulary('TW').suggest('視頻', 'en-GB')).toEqual([]);
  });

  it('keeps UTF-16 offsets right after emoji and astral characters', () => {
    const answer = '😀👍🏽 𠮷野家的视频';
    const [found] = chineseVocabulary('TW').suggest(answer, 'zh-TW');
    expect(found).toMatchObject({ exact: '视频', start: answer.indexOf('视频'), end: answer.indexOf('视频') + 2 });
    expectAnchored(answer, [found!]);
  });
});
