/**
 * `npm run sim` — run the MJ proxy simulator standalone.
 * Usage: npm run sim -- [--port 8080] [--host 127.0.0.1] [--flavour plus|trueai|oss|newapi] [--api-key KEY] [--remix] [--step-ms 700]
 */
import { SIM_FLAVOURS, startSimulator, type SimFlavour } from './index.js';

function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at >= 0) return args[at + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? 8080);
  const flavour = (argValue(args, '--flavour') ?? 'plus') as SimFlavour;
  if (!SIM_FLAVOURS.includes(flavour)) throw new Error(`--flavour must be one of ${SIM_FLAVOURS.join(', ')}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
  const sim = await startSimulator({
    flavour,
    port,
    host: argValue(args, '--host') ?? '127.0.0.1',
    apiKey: argValue(args, '--api-key'),
    remix: args.includes('--remix'),
    stepMs: Number(argValue(args, '--step-ms') ?? 700),
  });
  console.log(`MJ proxy simulator (${flavour}) listening on ${sim.url}`);
  console.log(`Base URL for the bot: ${sim.url}  (endpoints under ${sim.url}/mj/...)`);
  console.log('Try:');
  const auth = sim.options.apiKey ? ` -H 'mj-api-secret: <your key>'` : '';
  console.log(`  curl -X POST ${sim.url}/mj/submit/imagine -H 'content-type: application/json'${auth} -d '{"prompt":"a red fox"}'`);
  console.log(`  curl ${sim.url}/mj/task/<id>/fetch${auth}`);
  const stop = (): void => {
    console.log('\nStopping simulator...');
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
