// See README.md: one request per URL argument through undici's fetch and EnvHttpProxyAgent, results on stdout.
import { EnvHttpProxyAgent, fetch } from 'undici';

const key = process.env.E2E_API_KEY ?? '';
console.log(`KEY ${key || '-'}`);
const dispatcher = new EnvHttpProxyAgent();
for (const url of process.argv.slice(2)) {
  try {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${key}` }, dispatcher });
    const body = (await response.text()).replaceAll('\n', ' ');
    console.log(`RESULT ${url} ${response.status} ${body}`);
  } catch (e) {
    console.log(`ERROR ${url} ${String(e)} ${String(e?.cause ?? '')}`.replaceAll('\n', ' '));
  }
}
await dispatcher.close();
