import { describe, expect, it } from 'vitest';
import { extensionAllowance, type Workflow } from './workflow';
import type { Clock } from './case';

// As GET /workflows/application and /workflows/appeal describe them (trimmed).
const application = {
  kind: 'application', label: '办件', states: [],
  clocks: [
    { name: 'acceptance', label: '受理', unit: 'working_days', length: 5 },
    { name: 'decision', label: '审批决定', unit: 'working_days', length: 20, max_extension: 10 },
  ],
  transitions: [
    { name: 'extend', label: '延长审批期限', from: ['accepted', 'reviewing'], to: '', required: ['days', 'reason'],
      before_clock: 'decision', effects: [{ op: 'extend', clock: 'decision' }] },
    { name: 'accept', label: '受理', from: ['submitted'], to: 'accepted', effects: [{ op: 'stop', clock: 'acceptance' }] },
  ],
} as Workflow;
const appeal = {
  kind: 'appeal', label: '诉求', states: [],
  clocks: [{ name: 'handle', label: '办理时限', unit: 'working_days', length: 10, max_extension: 10 }],
  transitions: [{ name: 'request_extension', label: '申请延期', from: ['handling'], to: 'extension_requested', before_clock: 'handle' }],
} as Workflow;

const decision = (extended: number) => [{ name: 'decision', extended } as Clock];

describe('how much an extension may still add', () => {
  it('an application accepted today may be extended by the 10 working days of Art. 42', () => {
    expect(extensionAllowance(application, 'extend', decision(0))).toEqual({ left: 10, unit: 'working_days' });
  });

  it('counts what earlier extensions used, and never goes below nothing', () => {
    expect(extensionAllowance(application, 'extend', decision(4))?.left).toBe(6);
    expect(extensionAllowance(application, 'extend', decision(12))?.left).toBe(0);
  });

  it('a request for an extension is measured on the clock it must come before', () => {
    expect(extensionAllowance(appeal, 'request_extension', [])).toEqual({ left: 10, unit: 'working_days' });
  });

  it('says nothing when the workflow sets no limit', () => {
    expect(extensionAllowance(application, 'accept', [])).toBeNull();
    expect(extensionAllowance(application, 'nope', [])).toBeNull();
  });
});
