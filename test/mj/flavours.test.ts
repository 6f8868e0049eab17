import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MjError } from '../../src/errors.js';
import { capabilitiesFor, type Flavour } from '../../src/mj/capabilities.js';
import { PROBE_TASK_ID } from '../../src/mj/probe.js';
import { mockProxy, type MockProxy } from './mock-proxy.js';

let proxy: MockProxy;
beforeEach(() => { proxy = mockProxy(); });
afterEach(async () => { await proxy.close(); });

const fetchProbe = `/mj/task/${PROBE_TASK_ID}/fetch`;
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as MjError);
const hash = '39d7cf9f-c2f0-4adf-a124-0020fb9f867f';

describe('flavour probe', () => {
  it('detects trueai from a 204 on an unknown task', async () => {
    proxy.on('GET', fetchProbe, 204);
    expect(await proxy.client({ flavour: 'auto' }).flavour()).toBe('trueai');
  });

  it('detects new-api from its 400 upstream_error', async () => {
    proxy.on('GET', fetchProbe, 400, { description: 'task_no_found ', type: 'upstream_error', code: 4 });
    expect(await proxy.client({ flavour: 'auto' }).flavour()).toBe('newapi');
  });

  it('tells OSS (no /action) from Plus (code 4) after an empty 200', async () => {
    proxy.on('GET', fetchProbe, 200);
    proxy.on('POST', '/mj/submit/action', 404, { timestamp: 1, status: 404, error: 'Not Found', path: '/mj/submit/action' });
    expect(await proxy.client({ flavour: 'auto' }).flavour()).toBe('oss');
    proxy.on('GET', fetchProbe, 200);
    proxy.on('POST', '/mj/submit/action', 200, { code: 4, description: '参数错误', result: null, properties: {} });
    expect(await proxy.client({ flavour: 'auto' }).flavour()).toBe('plus');
    expect(proxy.sent.filter((r) => r.path === '/mj/submit/action').map((r) => r.body)).toEqual([{}, {}]);
  });

  it('probes only once and caches the answer', async () => {
    proxy.on('GET', fetchProbe, 204);
    const client = proxy.client({ flavour: 'auto' });
    await Promise.all([client.flavour(), client.capabilities(), client.flavour()]);
    expect(proxy.sent).toHaveLength(1);
  });

  it('reports a bad key during the probe as an auth failure and probes again next time', async () => {
    proxy.on('GET', fetchProbe, 401);
    const client = proxy.client({ flavour: 'auto' });
    expect((await caught(client.flavour())).code).toBe('MJ_AUTH_FAILED');
    proxy.on('GET', fetchProbe, 204);
    expect(await client.flavour()).toBe('trueai');
  });

  it('does not probe when the flavour is configured', async () => {
    expect(await proxy.client({ flavour: 'newapi' }).flavour()).toBe('newapi');
    expect(proxy.sent).toHaveLength(0);
  });
});

describe('endpoints missing on a flavour fail without a request', () => {
  const cases: [Flavour, string, (c: ReturnType<MockProxy['client']>) => Promise<unknown>][] = [
    ['oss', 'shorten', (c) => c.shorten({ prompt: 'x' })],
    ['oss', 'modal', (c) => c.modal({ taskId: '1', prompt: 'x' })],
    ['oss', 'image seed', (c) => c.imageSeed('1')],
    ['oss', 'face swap', (c) => c.faceSwap({ sourceBase64: 'a', targetBase64: 'b' })],
    ['oss', 'upload', (c) => c.uploadImages({ base64Array: ['a'] })],
    ['oss', 'a Custom Zoom press', (c) => c.action({ taskId: '1', customId: `MJ::CustomZoom::${hash}` })],
    ['trueai', 'change', (c) => c.change({ taskId: '1', action: 'UPSCALE', index: 1 })],
    ['trueai', 'simple-change', (c) => c.simpleChange({ content: '1 U1' })],
    ['trueai', 'a PromptAnalyzer press', (c) => c.action({ taskId: '1', customId: 'MJ::Job::PromptAnalyzer::1' })],
    ['newapi', 'cancel', (c) => c.cancel('1')],
    ['newapi', 'a PicReader press', (c) => c.action({ taskId: '1', customId: 'MJ::Job::PicReader::1' })],
    ['plus', 'a BOOKMARK press', (c) => c.action({ taskId: '1', customId: `MJ::BOOKMARK::${hash}` })],
  ];
  for (const [flavour, what, call] of cases) {
    it(`refuses ${what} on ${flavour}`, async () => {
      const err = await caught(call(proxy.client({ flavour })));
      expect(err.code).toBe('MJ_UNSUPPORTED');
      expect(proxy.sent).toHaveLength(0);
    });
  }

  it('turns a grid U2 press on OSS into a legacy /change', async () => {
    proxy.on('POST', '/mj/submit/change', 200, { code: 1, description: '提交成功', result: '2', properties: {} });
    const s = await proxy.client({ flavour: 'oss' }).action({ taskId: '1', customId: `MJ::JOB::upsample::2::${hash}`, state: 's' });
    expect(s.taskId).toBe('2');
    expect(proxy.sent[0]?.body).toEqual({ taskId: '1', action: 'UPSCALE', index: 2, state: 's' });
  });
});

describe('capabilities', () => {
  it('knows which buttons each flavour can press', () => {
    const ids = {
      u1: `MJ::JOB::upsample::1::${hash}`,
      reroll: `MJ::JOB::reroll::0::${hash}::SOLO`,
      subtle: `MJ::JOB::upsample_v6_2x_subtle::1::${hash}::SOLO`,
      zoom: `MJ::CustomZoom::${hash}`,
      picReader: 'MJ::Job::PicReader::2',
      picAll: 'MJ::Job::PicReader::all',
      retry: 'MJ::Picread::Retry',
      analyzer: 'MJ::Job::PromptAnalyzer::3',
      animate: `MJ::JOB::animate_high::1::${hash}::SOLO`,
      bookmark: `MJ::BOOKMARK::${hash}`,
    };
    const pressable = (f: Flavour) => Object.entries(ids).filter(([, id]) => capabilitiesFor(f).canPress(id)).map(([k]) => k);
    expect(pressable('oss')).toEqual(['u1', 'reroll']);
    expect(pressable('plus')).toEqual(['u1', 'reroll', 'subtle', 'zoom', 'picReader', 'retry', 'analyzer', 'animate']);
    expect(pressable('trueai')).toEqual(['u1', 'reroll', 'subtle', 'zoom', 'picReader', 'picAll', 'retry', 'animate']);
    expect(pressable('newapi')).toEqual(['u1', 'reroll', 'subtle', 'zoom']);
  });


  it('says new-api strips notify hooks and OSS has only change', () => {
    expect(capabilitiesFor('newapi').notifyHook).toBe(false);
    expect(capabilitiesFor('oss')).toMatchObject({ change: true, action: false, modal: false });
    expect(capabilitiesFor('trueai')).toMatchObject({ change: false, cancel: true, video: true });
  });
});
