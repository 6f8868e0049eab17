/**
 * The gateway half of the fake: HELLO, heartbeat ACKs, IDENTIFY → READY + GUILD_CREATE, RESUME
 * with replay of missed dispatches. Plain JSON frames (no zlib-stream: zlib-sync is not installed).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { botUserJson, guildCreateJson, type World } from './payloads.js';

interface Dispatch {
  s: number;
  t: string;
  d: unknown;
}

/** One gateway session at a time, as a single-shard bot uses it. */
export class FakeGateway {
  private readonly wss: WebSocketServer;
  private socket?: WebSocket;
  private identified = false;
  private sessionId = '';
  private seq = 0;
  private readonly history: Dispatch[] = [];
  private readyWaiters: (() => void)[] = [];
  private isReady = false;

  constructor(
    server: Server,
    private readonly world: World,
    private readonly token: string,
    private readonly gatewayUrl: string,
    private readonly onEvent: () => void,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws) => this.accept(ws));
  }

  /** Resolves once a client is identified and has READY + GUILD_CREATE. */
  ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends (or queues for replay on resume) a dispatch event. */
  dispatch(t: string, d: unknown): void {
    const event = { s: ++this.seq, t, d };
    this.history.push(event);
    if (this.identified && this.socket?.readyState === 1) this.send({ op: 0, ...event });
  }

  /** Closes the socket with 4000 (unknown error), which discord.js answers with RESUME. */
  disconnect(): void {
    this.identified = false;
    this.socket?.close(4000, 'fake disconnect');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(payload: unknown): void {
    this.socket?.send(JSON.stringify(payload));
  }

  private accept(ws: WebSocket): void {
    this.socket?.terminate();
    this.socket = ws;
    this.identified = false;
    ws.on('message', (raw) => this.receive(ws, raw.toString()));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
  }

  private receive(ws: WebSocket, text: string): void {
    if (ws !== this.socket) return;
    let packet: { op?: number; d?: Record<string, unknown> | null };
    try {
      packet = JSON.parse(text) as typeof packet;
    } catch {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = packet.d ?? {};
    switch (packet.op) {
      case 1:
        this.send({ op: 11 });
        return;
      case 2:
        return this.identify(ws, d);
      case 6:
        return this.resume(ws, d);
      case 3:
      case 4:
      case 8:
        return; // presence, voice, member requests: accepted and ignored
      default:
        ws.close(4001, 'Unknown opcode.');
    }
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): void {
    if (this.identified) return ws.close(4005, 'Already authenticated.');
    if (d.token !== this.token) return ws.close(4004, 'Authentication failed.');
    this.identified = true;
    this.sessionId = randomBytes(16).toString('hex');
    this.seq = 0;
    this.history.length = 0;
    const joinedAt = new Date().toISOString();
    this.dispatch('READY', {
      v: 10, user: botUserJson(this.world), guilds: [{ id: this.world.guildId, unavailable: true }],
      session_id: this.sessionId, resume_gateway_url: this.gatewayUrl, shard: [0, 1],
      application: { id: this.world.applicationId, flags: 0 }, private_channels: [], relationships: [], presences: [],
    });
    this.dispatch('GUILD_CREATE', guildCreateJson(this.world, joinedAt));
    this.isReady = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve();
    this.onEvent();
  }

  private resume(ws: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.token) return ws.close(4004, 'Authentication failed.');
    if (d.session_id !== this.sessionId) {
      this.send({ op: 9, d: false });
      return;
    }
    this.identified = true;
    const from = Number(d.seq ?? 0);
    for (const event of this.history) if (event.s > from) this.send({ op: 0, ...event });
    this.send({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} });
    this.onEvent();
  }
}
