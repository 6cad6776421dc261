// A live client for Corridor: prints every event, acknowledges alerts on request, and resumes after a
// dropped connection or a restart without missing or repeating anything.
//   CORRIDOR_URL=http://localhost:3000 CORRIDOR_TOKEN=<API key or access token> node docs/live-client.cjs
// CORRIDOR_ACK=1 acknowledges each correlation alert (needs alerts:ack, i.e. an on-call person's token).
const fs = require('node:fs');
const { io } = require('socket.io-client');

const url = process.env.CORRIDOR_URL ?? 'http://localhost:3000';
const stateFile = process.env.CORRIDOR_STATE ?? '.corridor-live.json'; // the resume point, kept across restarts
let state = {};
try {
  state = JSON.parse(fs.readFileSync(stateFile, 'utf8')); // { lastEventId, incidents }
} catch {
  // first run: start at the newest event
}

// Event ids are "<ms>-<n>" and increase along each reader's stream; keep the greatest one seen.
const newer = (a, b) => {
  const [am, an] = a.split('-').map(Number);
  const [bm, bn] = b.split('-').map(Number);
  return am !== bm ? am > bm : an > bn;
};
const remember = (id) => {
  if (typeof id !== 'string' || (state.lastEventId && !newer(id, state.lastEventId))) return;
  state.lastEventId = id;
  fs.writeFileSync(stateFile, JSON.stringify(state));
};

const socket = io(url, {
  transports: ['websocket'],
  // Called at every (re)connection: hand back the last event seen and the incidents joined.
  auth: (send) =>
    send({ token: process.env.CORRIDOR_TOKEN, lastEventId: state.lastEventId, incidents: state.incidents ?? [] }),
});

socket.on('connect_error', (error) => console.error(`refused: ${error.message}`));
socket.on('stream.gap', (gap) =>
  console.error(`missed events beyond the replay window (${gap.reason}): re-read by REST`),
);
socket.on('stream.resumed', ({ replayed, lastEventId }) => {
  remember(lastEventId);
  console.log(`live (${replayed} replayed)`);
});
socket.onAny((event, payload) => {
  if (typeof payload?.eventId !== 'string') return;
  remember(payload.eventId);
  console.log(`${event} ${JSON.stringify(payload)}`);
  if (event === 'correlation.alert' && process.env.CORRIDOR_ACK === '1') {
    socket.emit('correlation.ack', { id: payload.id }, (reply) => console.log(`ack ${JSON.stringify(reply)}`));
  }
});
