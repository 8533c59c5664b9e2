// Entry module: defines <paxos-scope>. Embed with
//   <script type="module" src="paxoscope.js"></script>
//   <paxos-scope nodes="3" proposers="1"></paxos-scope>
import { PaxosScope } from './element.js';

PaxosScope.define();

export { PaxosScope };
export { renderRing, renderQueue, renderSafety, renderLog, renderNodeInfo, placeMessages, ringLayout } from './render.js';
