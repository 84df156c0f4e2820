import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';

describe('file sizes', () => {
  it('reads in bytes, KB or MB', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(36045)).toBe('35.2 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10.0 MB');
  });
});
