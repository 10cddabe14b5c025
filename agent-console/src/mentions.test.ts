import { describe, expect, it } from 'vitest';
import { insertMention, keptMentions, matchAgents, MAX_MENTIONS, mentionAt, track } from './mentions.js';

const ana = { id: 'a1', name: 'Ana Lopez' };
const andre = { id: 'a2', name: 'André Martin' };
const bob = { id: 'a3', name: 'Bob Stone' };
const sandra = { id: 'a4', name: 'Sandra Anand' };
const team = [bob, sandra, andre, ana];

describe('mentionAt', () => {
  it('finds the "@query" the caret ends, at the start or after a space', () => {
    expect(mentionAt('@an', 3)).toEqual({ start: 0, end: 3, query: 'an' });
    expect(mentionAt('please ask @Ana L', 17)).toEqual({ start: 11, end: 17, query: 'Ana L' });
    expect(mentionAt('(@b', 3)).toEqual({ start: 1, end: 3, query: 'b' });
    expect(mentionAt('hi @', 4)).toEqual({ start: 3, end: 4, query: '' });
  });

  it('is not in an email address, after a line break, or right after "@ "', () => {
    expect(mentionAt('mail ana@shop.example', 21)).toBeNull();
    expect(mentionAt('@ana\nnext line', 14)).toBeNull();
    expect(mentionAt('@ an', 4)).toBeNull();
    expect(mentionAt('no mention here', 15)).toBeNull();
  });

  it('looks only before the caret', () => {
    expect(mentionAt('@an and more', 3)).toEqual({ start: 0, end: 3, query: 'an' });
  });
});

describe('matchAgents', () => {
  it('"an" finds names and words starting with it, whole-name matches first, accents ignored', () => {
    expect(matchAgents(team, 'an').map((a) => a.name)).toEqual(['Ana Lopez', 'André Martin', 'Sandra Anand']);
    expect(matchAgents(team, 'ANDRE').map((a) => a.id)).toEqual(['a2']);
    expect(matchAgents(team, 'ana l').map((a) => a.id)).toEqual(['a1']);
  });

  it('an empty query lists everyone by name, up to the limit; nothing matches: none', () => {
    expect(matchAgents(team, '').map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(matchAgents(team, '', 2)).toHaveLength(2);
    expect(matchAgents(team, 'zz')).toEqual([]);
  });
});

describe('insertMention', () => {
  it('replaces the query with "@Name " and puts the caret after it', () => {
    const text = 'ask @an about it';
    const at = mentionAt(text, 7)!;
    expect(insertMention(text, at, ana)).toEqual({ text: 'ask @Ana Lopez about it', caret: 15 });
    expect(insertMention('@an', mentionAt('@an', 3)!, ana)).toEqual({ text: '@Ana Lopez ', caret: 11 });
  });
});

describe('keptMentions', () => {
  it('keeps the picked agents still named, each once, in the order picked', () => {
    const tracked = track(track(track([], ana), bob), ana);
    expect(tracked).toEqual([ana, bob]);
    expect(keptMentions('@Ana Lopez and @Bob Stone, @Ana Lopez again', tracked)).toEqual(['a1', 'a3']);
  });

  it('drops one whose name was deleted or changed', () => {
    expect(keptMentions('@Bob Stone only', [ana, bob])).toEqual(['a3']);
    expect(keptMentions('@Ana Lo and @Bob', [ana, bob])).toEqual([]);
    expect(keptMentions('@Ana Lopezz', [ana])).toEqual([]);
    expect(keptMentions('(@Ana Lopez)', [ana])).toEqual(['a1']);
  });

  it('sends at most the server’s limit', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ id: `id${i}`, name: `Agent ${i}x` }));
    expect(keptMentions(many.map((a) => `@${a.name}`).join(' '), many)).toHaveLength(MAX_MENTIONS);
  });
});
