import { describe, expect, it } from '@jest/globals';
import { type EventPattern, matchesPattern } from '../src/index.js';

// The example event and patterns of the EventBridge user guide ("Amazon EventBridge event
// patterns", "Content filtering in Amazon EventBridge event patterns", "Comparison operators
// for use in event patterns", "Matching null values and empty strings", "Arrays in event
// patterns") and of the README of aws/event-ruler, the library EventBridge matches with.
const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: [
    'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0',
    'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef1',
  ],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 7,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    FileName: 'image.png',
    location: null,
    empty: '',
    'is-ready': true,
  },
};

const table: [string, EventPattern, boolean][] = [
  ['exact source', { source: ['aws.ec2'] }, true],
  ['exact source, other value', { source: ['aws.s3'] }, false],
  ['any of a list', { source: ['aws.s3', 'aws.ec2'] }, true],
  [
    'fields are ANDed',
    { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
    true,
  ],
  ['one field failing fails the pattern', { source: ['aws.ec2'], 'detail-type': ['Other'] }, false],
  ['nested field', { detail: { state: ['terminated'] } }, true],
  ['nested field, other value', { detail: { state: ['running'] } }, false],
  ['a field the event lacks', { detail: { color: ['red'] } }, false],
  [
    'array in the event: any element',
    { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef1', 'arn:other'] },
    true,
  ],
  ['array in the event: no element', { resources: ['arn:other'] }, false],
  ['numbers match exactly', { detail: { 'c-count': [5] } }, true],
  ['a number does not match its string', { detail: { 'c-count': ['5'] } }, false],
  ['null', { detail: { location: [null] } }, true],
  ['empty string', { detail: { empty: [''] } }, true],
  ['null does not match the empty string', { detail: { empty: [null] } }, false],
  ['boolean', { detail: { 'is-ready': [true] } }, true],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix, no match', { time: [{ prefix: '2017-10-02' }] }, false],
  ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
  ['suffix', { detail: { FileName: [{ suffix: '.png' }] } }, true],
  ['suffix, no match', { detail: { FileName: [{ suffix: '.jpg' }] } }, false],
  [
    'equals-ignore-case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    true,
  ],
  ['wildcard', { detail: { 'instance-id': [{ wildcard: 'i-*ef0' }] } }, true],
  ['wildcard, no match', { detail: { 'instance-id': [{ wildcard: 'i-*ef1' }] } }, false],
  ['anything-but a value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but that value', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
  ['anything-but a list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
  [
    'anything-but a list holding it',
    { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } },
    false,
  ],
  ['anything-but a number', { detail: { 'c-count': [{ 'anything-but': [100, 200] }] } }, true],
  ['anything-but a prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
  ['anything-but the prefix it has', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
  ['anything-but a suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
  ['anything-but needs the field', { detail: { color: [{ 'anything-but': 'red' }] } }, false],
  [
    'numeric ranges (the guide’s c-count, d-count, x-limit example)',
    {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    true,
  ],
  ['numeric out of range', { detail: { 'c-count': [{ numeric: ['>', 5] }] } }, false],
  ['numeric on a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['numeric >=', { detail: { 'd-count': [{ numeric: ['>=', 7, '<', 8] }] } }, true],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists true on a missing field', { detail: { color: [{ exists: true }] } }, false],
  ['exists false on a missing field', { detail: { color: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists only on leaves', { detail: [{ exists: true }] }, false],
  ['cidr', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr, other network', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
  ['$or: one branch', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['terminated'] } }] }, true],
  ['$or: no branch', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['running'] } }] }, false],
  [
    '$or with other fields',
    { source: ['aws.ec2'], $or: [{ detail: { 'c-count': [{ numeric: ['>', 4] }] } }] },
    true,
  ],
  ['matchers mix in a list', { detail: { state: ['running', { prefix: 'term' }] } }, true],
  ['suffix ignoring case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, true],
  ['equals-ignore-case, other value', { source: [{ 'equals-ignore-case': 'AWS.S3' }] }, false],
  ['wildcard with a star at each end', { 'detail-type': [{ wildcard: '*State-change*' }] }, true],
  ['wildcard: several stars in order', { source: [{ wildcard: 'a*.*2' }] }, true],
  ['wildcard: the pieces out of order', { source: [{ wildcard: 'e*a*' }] }, false],
  ['wildcard on a number', { detail: { 'c-count': [{ wildcard: '*' }] } }, false],
  ['anything-but a number (123)', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, true],
  ['anything-but that number', { detail: { 'x-limit': [{ 'anything-but': 301.8 }] } }, false],
  [
    'anything-but a list of numbers holding it',
    { detail: { 'c-count': [{ 'anything-but': [100, 200, 5] }] } },
    false,
  ],
  [
    'anything-but ignoring case',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'TERMINATED' } }] } },
    false,
  ],
  [
    'anything-but ignoring case, a list',
    { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'Running'] } }] } },
    true,
  ],
  [
    'anything-but a wildcard (the guide’s "*/lib/*")',
    { detail: { FileName: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    true,
  ],
  [
    'anything-but the wildcard it matches',
    { detail: { FileName: [{ 'anything-but': { wildcard: '*.png' } }] } },
    false,
  ],
  [
    'anything-but the suffix it has',
    { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } },
    false,
  ],
  ['numeric =, written 3.018e2', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
  ['numeric <', { detail: { 'd-count': [{ numeric: ['<', 7] }] } }, false],
  ['numeric <=', { detail: { 'd-count': [{ numeric: ['<=', 7] }] } }, true],
  [
    'numeric on a string that looks like a number',
    { detail: { 'source-ip': [{ numeric: ['>', 0] }] } },
    false,
  ],
  [
    'the guide’s complex example',
    {
      time: [{ prefix: '2017-12-22' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    true,
  ],
];

// The exists examples: detail.c-count absent, then holding an object, which is not a leaf.
const withoutCount = {
  'detail-type': 'EC2 Instance State-change Notification',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-02ebd4584a2ebd341'],
  detail: { state: ['initializing', 'running'] },
};
const withCountObject = { ...withoutCount, detail: { ...withoutCount.detail, 'c-count': { c1: 100 } } };

// The arrays example of the Ruler README: the array is crushed out of the pattern, and two
// fields never match from two different elements.
const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};
const nestedEmployees = {
  employees: [
    [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
    ],
    [{ firstName: 'Peter', lastName: 'Jones' }],
  ],
};

// The null-values page's event: an empty string and a null are different values.
const autoscaling = { detail: { eventVersion: '', responseElements: null } };

const cases: [string, EventPattern, unknown, boolean][] = [
  ['exists false: the field is absent', { detail: { 'c-count': [{ exists: false }] } }, withoutCount, true],
  [
    'exists false: the field holds an object (not a leaf)',
    { detail: { 'c-count': [{ exists: false }] } },
    withCountObject,
    true,
  ],
  [
    'exists true: an object is not a leaf',
    { detail: { 'c-count': [{ exists: true }] } },
    withCountObject,
    false,
  ],
  ['exists true: an array of values', { detail: { state: [{ exists: true }] } }, withoutCount, true],
  [
    'exists false: an empty array holds no value',
    { detail: { state: [{ exists: false }] } },
    { detail: { state: [] } },
    true,
  ],
  ['exists true: null is a value', { detail: { responseElements: [{ exists: true }] } }, autoscaling, true],
  ['an array of objects: a field of one element', { employees: { firstName: ['Anna'] } }, employees, true],
  ['an array of objects: no element has it', { employees: { firstName: ['Zoe'] } }, employees, false],
  [
    'an array of objects: two fields of one element',
    { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    employees,
    true,
  ],
  [
    'an array of objects: two fields from two elements do not match',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    employees,
    false,
  ],
  ['arrays of arrays of objects', { employees: { firstName: ['Peter'] } }, nestedEmployees, true],
  [
    'arrays of arrays: still one element at a time',
    { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    nestedEmployees,
    false,
  ],
  ['the empty string', { detail: { eventVersion: [''] } }, autoscaling, true],
  ['null', { detail: { responseElements: [null] } }, autoscaling, true],
  ['null does not match an empty string', { detail: { eventVersion: [null] } }, autoscaling, false],
  ['an empty string does not match null', { detail: { responseElements: [''] } }, autoscaling, false],
  [
    'the Ruler README’s wildcard',
    { source: [{ wildcard: 'Simple*Service' }] },
    { source: 'SimpleQueueService' },
    true,
  ],
  ['an escaped star is a star', { name: [{ wildcard: 'a\\*b*' }] }, { name: 'a*bc' }, true],
  ['an escaped star is not a wildcard', { name: [{ wildcard: 'a\\*b' }] }, { name: 'axxb' }, false],
  ['an escaped backslash', { name: [{ wildcard: 'a\\\\*' }] }, { name: 'a\\bc' }, true],
  [
    'a field named like a property every object has is not in every event',
    { detail: { constructor: [{ exists: true }] } },
    { detail: {} },
    false,
  ],
  [
    '$or: the Ruler README’s "source && (metricName || namespace)"',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
    true,
  ],
  [
    '$or: neither branch',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    { source: 'aws.cloudwatch', namespace: 'AWS/S3' },
    false,
  ],
];

describe('EventBridge event patterns', () => {
  it.each(table)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, ec2)).toBe(expected);
  });

  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('the inbound rules match their provider only', () => {
    const rule = { source: ['hookrelay.inbound.stripe'] };
    expect(matchesPattern(rule, { source: 'hookrelay.inbound.stripe', detail: {} })).toBe(true);
    expect(matchesPattern(rule, { source: 'hookrelay.inbound.github', detail: {} })).toBe(false);
  });
});
