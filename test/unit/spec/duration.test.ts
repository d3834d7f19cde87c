import { DurationError, formatDuration, parseDuration } from '../../../src/spec/duration';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h0m5s', 3_605_000],
    ['1m30s250ms', 90_250],
    ['0s', 0],
    ['0', 0],
    [0, 0],
    [' 45s ', 45_000],
    ['90m', 5_400_000],
  ])('%p → %p ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  test.each([
    ['', /cannot be empty/],
    ['30', /"30" is not a duration/],
    [30, /needs a unit .* got the number 30/],
    ['5x', /unknown unit "x"; use h, m, s or ms/],
    ['1d', /unknown unit "d"/],
    ['-5m', /cannot be negative/],
    ['30m1h', /largest to smallest/],
    ['5m5m', /largest to smallest/],
    ['1.5h', /is not a duration/],
    ['5 m', /is not a duration/],
    ['m', /is not a duration/],
    ['99999999999999999h', /too long/],
  ])('%p is refused with a message saying what is valid', (input, message) => {
    expect(() => parseDuration(input)).toThrow(DurationError);
    expect(() => parseDuration(input)).toThrow(message);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [500, '500ms'],
    [30_000, '30s'],
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [7_200_000, '2h'],
    [90_250, '1m30s250ms'],
    [3_605_000, '1h5s'],
  ])('%p ms → %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test.each([0, 1, 999, 1000, 61_001, 3_600_000, 86_400_000, 123_456_789])('%p ms round-trips', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
