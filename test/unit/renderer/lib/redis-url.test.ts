import { describe, expect, it } from 'vitest';
import { composeRedisUrl } from '../../../../renderer/lib/redis-url.js';

describe('the Settings view’s URL and password fields', () => {
  it('puts a typed password into the URL, percent-encoded', () => {
    const url = composeRedisUrl(' redis://lab@gpu:6379/1 ', 'a@b:c/d%');
    expect(url).toBe('redis://lab:a%40b%3Ac%2Fd%25@gpu:6379/1');
    expect(decodeURIComponent(new URL(url).password)).toBe('a@b:c/d%');
  });

  it('an empty password field leaves the URL as typed (*** = the saved password)', () => {
    expect(composeRedisUrl('rediss://:***@gpu:6380', '')).toBe('rediss://:***@gpu:6380');
  });

  it('a password without a URL is an error that says what to do', () => {
    expect(() => composeRedisUrl('gpu box', 'pw')).toThrow(
      /enter a Redis URL like redis:\/\/host:6379/,
    );
  });
});
