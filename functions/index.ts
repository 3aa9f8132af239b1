// Registers every function by name; the name is the Terraform `entry_point`.
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { getDeps } from './deps.js';
import { fiSync } from './events/fi-sync.event.js';
import { netWorthRollup } from './events/net-worth-rollup.event.js';
import { api } from './http/api.http.js';
import { auth } from './http/auth.http.js';
import { chat } from './http/chat.http.js';
import { insightsGenerate } from './events/insights-generate.event.js';

http('api', api(getDeps));
http('auth', auth(getDeps));
http('chat', chat(getDeps));
cloudEvent('fiSync', fiSync(getDeps));
cloudEvent('netWorthRollup', netWorthRollup(getDeps));
cloudEvent('insightsGenerate', insightsGenerate(getDeps));
