import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Topics } from '../../shared/contracts/events.js';

/*
 * Structural checks of terraform/ without a terraform binary: every .tf file is turned into
 * its JSON form by @cdktf/hcl2json and the rules of STYLE.md (item 13) and ARCHITECTURE.md
 * are asserted on that form.
 *
 * The JSON form, as hcl2json produces it:
 * - every block is an ARRAY of objects: `resource.<type>.<name>[0]`, `variable.<name>[0]`,
 *   `module.<name>[0]`, `locals[i]`, and nested blocks too (`build_config[0]`,
 *   `validation[i]`, `dynamic.<label>[0].content[0]`);
 * - attributes are plain JSON values; an object-valued attribute (`event_trigger = {...}`)
 *   is a plain object, not an array;
 * - any expression is a string wrapped in "${...}" (`"${var.region}"`); literals are bare.
 * This is not `terraform validate`: run that (and `terraform fmt -check`) before deploying.
 */

// ---------------------------------------------------------------------------------------
// Tables: what the rest of the code base expects of the infrastructure.

/** Names registered in functions/index.ts, and what triggers each (a topic or HTTP). */
const registeredFunctions = [
  { entryPoint: 'api', trigger: 'http' },
  { entryPoint: 'auth', trigger: 'http' },
  { entryPoint: 'chat', trigger: 'http' },
  { entryPoint: 'fiSync', trigger: Topics.syncRequested },
  { entryPoint: 'netWorthRollup', trigger: Topics.netWorthRollup },
  { entryPoint: 'insightsGenerate', trigger: Topics.insightsRequested },
] as const;
const registeredNames: readonly string[] = registeredFunctions.map((f) => f.entryPoint);

/** The only roles that may be granted at project level, and only to function accounts. */
const projectRoleAllowlist = ['roles/datastore.user', 'roles/logging.logWriter', 'roles/aiplatform.user'];
/** Project roles given only to some functions, and which (by module name). */
const restrictedProjectRoles: Record<string, readonly string[]> = { 'roles/aiplatform.user': ['api', 'chat', 'insights_generate'] };

/** Firestore collection groups whose documents expire through a TTL policy. */
const ttlFields = [
  { collection: 'processedEvents', field: 'expiresAt' },
  { collection: 'rateLimits', field: 'expiresAt' },
  { collection: 'sessions', field: 'purgeAt' },
  { collection: 'preAuth', field: 'purgeAt' },
];

/** Periodic work: which topic each cron publishes to (crons read in Asia/Kolkata). */
const schedules = [
  { topic: Topics.netWorthRollup, cron: '0 2 1 * *' },
  { topic: Topics.insightsRequested, cron: '0 6 * * 1' },
];

/** Functions that wrap and unwrap data keys with Cloud KMS. */
/** Functions that seal or open credentials: api (linking Fi), auth (sign-in), fiSync. */
const kmsUsers = ['api', 'auth', 'fiSync'];

// ---------------------------------------------------------------------------------------
// Parsing: one schema for the hcl2json boundary, so the tests below work on typed data.

const Block = z.record(z.string(), z.unknown());
type Block = z.infer<typeof Block>;
const Blocks = z.array(Block);
const Named = z.record(z.string(), Blocks);
const TfDocument = z.looseObject({
  terraform: Blocks.optional(),
  variable: Named.optional(),
  output: Named.optional(),
  module: Named.optional(),
  locals: Blocks.optional(),
  resource: z.record(z.string(), Named).optional(),
});
type TfDocument = z.infer<typeof TfDocument>;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tfRoot = join(repoRoot, 'terraform');

function listTfFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => entry !== '.terraform')
    .flatMap((entry) => {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) return listTfFiles(full);
      return entry.endsWith('.tf') ? [full] : [];
    })
    .sort();
}

interface ParsedFile {
  /** Path relative to terraform/, with forward slashes (`modules/function/main.tf`). */
  readonly path: string;
  readonly doc: TfDocument | undefined;
  readonly error: string | undefined;
}

async function parseFile(absolute: string): Promise<ParsedFile> {
  const path = relative(tfRoot, absolute).split(sep).join('/');
  try {
    const json: unknown = await parse(path, readFileSync(absolute, 'utf8'));
    return { path, doc: TfDocument.parse(json), error: undefined };
  } catch (error) {
    return { path, doc: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}

// Sequential: hcl2json runs one WebAssembly instance; there is nothing to gain in parallel.
const files: ParsedFile[] = [];
for (const file of listTfFiles(tfRoot)) files.push(await parseFile(file));

// ---------------------------------------------------------------------------------------
// Small readers over the JSON form.

/**
 * The parsed form of terraform/<path>; empty when the file is missing or does not parse,
 * so that building the test tables never throws: the "finds the files" and "parses"
 * tests report those failures, and every assertion on the missing content fails too.
 */
function doc(path: string): TfDocument {
  return files.find((f) => f.path === path)?.doc ?? {};
}

const parsedDocs = (): Array<{ path: string; doc: TfDocument }> =>
  files.flatMap((f) => (f.doc ? [{ path: f.path, doc: f.doc }] : []));

const dirOf = (path: string): string => posix.dirname(path);
const isRootFile = (path: string): boolean => dirOf(path) === '.';

/** The single block of a labelled list (Terraform forbids two blocks with one address). */
function single(blocks: readonly Block[] | undefined, what: string): Block {
  if (!blocks || blocks.length !== 1) {
    throw new Error(`expected exactly one ${what}, found ${blocks?.length ?? 0}`);
  }
  return blocks[0] as Block;
}

/** Nested blocks (`build_config`, `validation`, ...): always an array in the JSON form. */
function nested(block: Block, key: string): Block[] {
  const value = block[key];
  return value === undefined ? [] : Blocks.parse(value);
}

const nestedOne = (block: Block, key: string): Block => single(nested(block, key), `${key} block`);

/** `dynamic "<label>" { for_each, content {} }`: `dynamic` is an object keyed by label. */
function dynamicBlock(block: Block, label: string): Block {
  const byLabel = objectAttr(block, 'dynamic') ?? {};
  return single(byLabel[label] === undefined ? [] : Blocks.parse(byLabel[label]), `dynamic "${label}" block`);
}

function attr(block: Block, key: string): string | undefined {
  const value = block[key];
  return typeof value === 'string' ? value : undefined;
}

function objectAttr(block: Block, key: string): Block | undefined {
  const value = block[key];
  return value === undefined ? undefined : Block.parse(value);
}

interface Found {
  readonly path: string;
  readonly name: string;
  readonly block: Block;
}

/** Every resource of a type across the given files (all files by default). */
function resourcesOfType(type: string, scope: (path: string) => boolean = () => true): Found[] {
  return parsedDocs()
    .filter(({ path }) => scope(path))
    .flatMap(({ path, doc }) =>
      Object.entries(doc.resource?.[type] ?? {}).map(([name, blocks]) => ({
        path,
        name,
        block: single(blocks, `resource ${type}.${name} in ${path}`),
      })),
    );
}

function resource(path: string, type: string, name: string): Block {
  return single(doc(path).resource?.[type]?.[name], `resource ${type}.${name} in ${path}`);
}

function moduleCalls(path: string): Found[] {
  return Object.entries(doc(path).module ?? {}).map(([name, blocks]) => ({
    path,
    name,
    block: single(blocks, `module ${name} in ${path}`),
  }));
}

/** Root-level module calls of any file. */
const rootModuleCalls = (): Found[] => parsedDocs().filter(({ path }) => isRootFile(path)).flatMap(({ path }) => moduleCalls(path));

/** All `locals` blocks of a file merged into one object. */
function locals(path: string): Block {
  return Object.assign({}, ...(doc(path).locals ?? []));
}

/** Variables declared in one directory (`.` for the root, `modules/function`, ...). */
function variablesIn(dir: string): Map<string, Block> {
  const found = new Map<string, Block>();
  for (const { path, doc: d } of parsedDocs()) {
    if (dirOf(path) !== dir) continue;
    for (const [name, blocks] of Object.entries(d.variable ?? {})) {
      found.set(name, single(blocks, `variable ${name} in ${path}`));
    }
  }
  return found;
}

/** `${google_pubsub_topic.event["fi-sync-requested-v1"].id}` -> `fi-sync-requested-v1`. */
function eventTopicRef(expression: string | undefined, attribute: 'id' | 'name'): string | undefined {
  const match = /^\$\{google_pubsub_topic\.event\["([^"]+)"\]\.(\w+)\}$/.exec(expression ?? '');
  return match && match[2] === attribute ? match[1] : undefined;
}

/** Topic names declared in pubsub.tf: `local.event_topics`, the for_each of google_pubsub_topic.event. */
function declaredTopics(): string[] {
  const topics = z.array(z.string()).parse(locals('pubsub.tf')['event_topics']);
  expect(attr(resource('pubsub.tf', 'google_pubsub_topic', 'event'), 'for_each')).toBe('${toset(local.event_topics)}');
  return topics;
}

/** Function modules of functions.tf, by module name. */
const functionModules = (): Found[] => moduleCalls('functions.tf');

function moduleNameOf(entryPoint: string): string {
  const found = functionModules().filter((m) => m.block['entry_point'] === entryPoint);
  expect(found, `modules with entry_point ${entryPoint}`).toHaveLength(1);
  return (found[0] as Found).name;
}

/** Meta-arguments of a module block, which are not module inputs. */
const moduleMetaArguments = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

// ---------------------------------------------------------------------------------------

describe('terraform: files', () => {
  it('finds the root files and both modules', () => {
    const paths = files.map((f) => f.path);
    for (const expected of [
      'versions.tf', 'variables.tf', 'pubsub.tf', 'functions.tf', 'scheduler.tf', 'firestore.tf',
      'kms.tf', 'secrets.tf', 'storage.tf', 'iam.tf', 'outputs.tf',
      'modules/function/main.tf', 'modules/function/variables.tf', 'modules/function/outputs.tf',
      'modules/scheduled-topic/main.tf', 'modules/scheduled-topic/variables.tf', 'modules/scheduled-topic/outputs.tf',
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it.each(files.map((f) => [f.path, f] as const))('%s parses', (_path, file) => {
    expect(file.error).toBeUndefined();
    expect(file.doc).toBeDefined();
  });

  it('pins Terraform >= 1.6 and the google and google-beta providers to ~> 6.0', () => {
    const terraform = single(doc('versions.tf').terraform, 'terraform block');
    expect(terraform['required_version']).toBe('>= 1.6');
    const providers = nestedOne(terraform, 'required_providers');
    for (const name of ['google', 'google-beta']) {
      const provider = objectAttr(providers, name);
      expect(provider?.['source']).toBe(`hashicorp/${name}`);
      expect(provider?.['version']).toBe('~> 6.0');
    }
  });
});

describe('terraform: variables and outputs', () => {
  const variables = parsedDocs().flatMap(({ path, doc: d }) =>
    Object.entries(d.variable ?? {}).map(([name, blocks]) => ({ name, file: path, blocks })),
  );
  const outputs = parsedDocs().flatMap(({ path, doc: d }) =>
    Object.entries(d.output ?? {}).map(([name, blocks]) => ({ name, file: path, blocks })),
  );

  it('finds variables in the root and in both modules', () => {
    expect(variablesIn('.').size).toBeGreaterThan(0);
    expect(variablesIn('modules/function').size).toBeGreaterThan(0);
    expect(variablesIn('modules/scheduled-topic').size).toBeGreaterThan(0);
  });

  it.each(variables)('variable $name ($file) has a description and a type', ({ blocks }) => {
    const variable = single(blocks, 'variable block');
    expect(attr(variable, 'description')?.trim()).toBeTruthy();
    expect(attr(variable, 'type')).toMatch(/^\$\{.+\}$/s);
  });

  it.each(variables)('variable $name ($file) is validated unless it is a bool', ({ blocks }) => {
    const variable = single(blocks, 'variable block');
    if (attr(variable, 'type') === '${bool}') return;
    const validations = nested(variable, 'validation');
    expect(validations.length).toBeGreaterThan(0);
    for (const validation of validations) {
      expect(attr(validation, 'condition')).toMatch(/^\$\{.+\}$/s);
      expect(attr(validation, 'error_message')?.trim()).toBeTruthy();
    }
  });

  it.each(outputs)('output $name ($file) has a description', ({ blocks }) => {
    expect(attr(single(blocks, 'output block'), 'description')?.trim()).toBeTruthy();
  });

  it.each(rootModuleCalls().map((m) => ({ name: m.name, call: m })))(
    'module $name passes only declared inputs and every required one',
    ({ call }) => {
      const source = attr(call.block, 'source');
      expect(source).toMatch(/^\.\/modules\/[a-z-]+$/);
      const declared = variablesIn(posix.normalize(source as string));
      const given = Object.keys(call.block).filter((key) => !moduleMetaArguments.has(key));
      for (const input of given) expect([...declared.keys()], `input ${input}`).toContain(input);
      for (const [name, variable] of declared) {
        if (!('default' in variable)) expect(given, `required input ${name}`).toContain(name);
      }
    },
  );

  it('terraform.tfvars.example sets every required root variable with a placeholder and nothing else', async () => {
    const example = Block.parse(await parse('terraform.tfvars.example', readFileSync(join(tfRoot, 'terraform.tfvars.example'), 'utf8')));
    const rootVariables = variablesIn('.');
    for (const [name, variable] of rootVariables) {
      if (!('default' in variable)) expect(Object.keys(example)).toContain(name);
    }
    for (const key of Object.keys(example)) expect([...rootVariables.keys()]).toContain(key);
    expect(example['project_id']).toBe('your-project-id');
  });
});

describe('terraform: functions', () => {
  const moduleDir = 'modules/function';
  const fn = () => resource(`${moduleDir}/main.tf`, 'google_cloudfunctions2_function', 'this');

  it.each(functionModules().map((m) => ({ name: m.name, call: m })))(
    'module $name uses modules/function with a registered entry point',
    ({ call }) => {
      expect(call.block['source']).toBe('./modules/function');
      expect(registeredNames).toContain(call.block['entry_point']);
      // The runtime is the module's default (nodejs22) unless set to the same value.
      expect(call.block['runtime'] ?? 'nodejs22').toBe('nodejs22');
    },
  );

  it('deploys every function under its own name (so its own service account)', () => {
    const names = functionModules().map((m) => m.block['name']);
    for (const name of names) expect(typeof name).toBe('string');
    expect(new Set(names).size).toBe(names.length);
    expect(functionModules()).toHaveLength(registeredFunctions.length);
  });

  it.each(registeredFunctions)('$entryPoint is deployed once, triggered by $trigger', ({ entryPoint, trigger }) => {
    const call = single(
      functionModules().filter((m) => m.block['entry_point'] === entryPoint).map((m) => m.block),
      `module with entry_point ${entryPoint}`,
    );
    const eventTrigger = objectAttr(call, 'event_trigger');
    if (trigger === 'http') {
      expect(eventTrigger).toBeUndefined();
      return;
    }
    expect(eventTrigger).toBeDefined();
    const topic = eventTopicRef(attr(eventTrigger as Block, 'pubsub_topic_id'), 'id');
    expect(topic).toBe(trigger);
    expect(declaredTopics()).toContain(topic);
    expect(eventTrigger?.['retry_policy'] ?? 'RETRY_POLICY_RETRY').toBe('RETRY_POLICY_RETRY');
    // Event functions are reached through their trigger only.
    expect(call['allow_unauthenticated'] ?? false).toBe(false);
    expect(call['ingress_settings'] ?? 'ALLOW_INTERNAL_ONLY').toBe('ALLOW_INTERNAL_ONLY');
  });

  it.each(registeredFunctions)('$entryPoint gets the production settings loadConfig requires', ({ entryPoint, trigger }) => {
    const call = single(
      functionModules().filter((m) => m.block['entry_point'] === entryPoint).map((m) => m.block),
      `module with entry_point ${entryPoint}`,
    );
    // Either the shared map itself or a merge() over it; event functions also get the max age.
    const shared = trigger === 'http' ? 'local.common_env' : 'local.event_env';
    const env = attr(call, 'environment_variables') ?? '';
    expect(env === `\${${shared}}` || env.startsWith(`\${merge(${shared}, {`), env).toBe(true);
    const definitions = locals('functions.tf');
    expect(objectAttr(definitions, 'common_env')).toMatchObject({ APP_ENV: 'production', GCP_PROJECT_ID: '${var.project_id}' });
    expect(attr(definitions, 'event_env')).toMatch(/^\$\{merge\(local\.common_env,[\s\S]*EVENT_MAX_AGE_SECONDS/);
  });

  it('the module builds with var.runtime, which defaults to nodejs22', () => {
    expect(nestedOne(fn(), 'build_config')['runtime']).toBe('${var.runtime}');
    expect(nestedOne(fn(), 'build_config')['entry_point']).toBe('${var.entry_point}');
    expect(variablesIn(moduleDir).get('runtime')?.['default']).toBe('nodejs22');
  });

  it('the module creates one runtime service account and runs the function as it', () => {
    const account = resource(`${moduleDir}/main.tf`, 'google_service_account', 'runtime');
    expect(account['count']).toBeUndefined();
    expect(account['for_each']).toBeUndefined();
    expect(attr(account, 'account_id')).toContain('${var.name}');
    expect(nestedOne(fn(), 'service_config')['service_account_email']).toBe('${google_service_account.runtime.email}');
    // No way to pass in a shared account instead.
    expect([...variablesIn(moduleDir).keys()].some((name) => name.includes('service_account'))).toBe(false);
  });

  it('the module binds secrets by reference and grants access to exactly those secrets', () => {
    const content = nestedOne(dynamicBlock(nestedOne(fn(), 'service_config'), 'secret_environment_variables'), 'content');
    expect(content).toMatchObject({
      secret: '${secret_environment_variables.value.secret}',
      version: '${secret_environment_variables.value.version}',
    });
    const access = resource(`${moduleDir}/main.tf`, 'google_secret_manager_secret_iam_member', 'runtime_secret_access');
    expect(access).toMatchObject({
      for_each: '${local.bound_secrets}',
      secret_id: '${each.value}',
      role: 'roles/secretmanager.secretAccessor',
      member: 'serviceAccount:${google_service_account.runtime.email}',
    });
    expect(fn()['depends_on']).toContain('${google_secret_manager_secret_iam_member.runtime_secret_access}');
  });

  it('the module subscribes event functions through Eventarc with a dedicated trigger account', () => {
    const eventTrigger = dynamicBlock(fn(), 'event_trigger');
    expect(eventTrigger['for_each']).toBe('${local.is_event_function ? [var.event_trigger] : []}');
    expect(nestedOne(eventTrigger, 'content')).toMatchObject({
      event_type: 'google.cloud.pubsub.topic.v1.messagePublished',
      pubsub_topic: '${event_trigger.value.pubsub_topic_id}',
      retry_policy: '${event_trigger.value.retry_policy}',
      service_account_email: '${google_service_account.trigger[0].email}',
    });
    expect(attr(variablesIn(moduleDir).get('event_trigger') ?? {}, 'type')).toContain('optional(string, "RETRY_POLICY_RETRY")');
    expect(resource(`${moduleDir}/main.tf`, 'google_service_account', 'trigger')['count']).toBe('${local.is_event_function ? 1 : 0}');
  });

  it("the trigger account may invoke this function's Cloud Run service and nothing else", () => {
    const invoker = resource(`${moduleDir}/main.tf`, 'google_cloud_run_service_iam_member', 'trigger_invoker');
    expect(invoker).toMatchObject({
      role: 'roles/run.invoker',
      member: 'serviceAccount:${google_service_account.trigger[0].email}',
      service: '${local.run_service_name}',
      location: '${google_cloudfunctions2_function.this.location}',
    });
    expect(attr(locals(`${moduleDir}/main.tf`), 'run_service_name')).toContain('google_cloudfunctions2_function.this.service_config[0].service');
  });

  it('only the auth function binds a secret: the OAuth client secret, by reference', () => {
    for (const call of functionModules()) {
      const secrets = objectAttr(call.block, 'secret_environment_variables');
      if (call.block['entry_point'] !== 'auth') {
        expect(secrets, `${call.name} binds no secret`).toBeUndefined();
        continue;
      }
      expect(secrets?.['OAUTH_CLIENT_SECRET']).toMatchObject({
        secret: '${google_secret_manager_secret.oauth_client_secret.secret_id}',
      });
    }
    resource('secrets.tf', 'google_secret_manager_secret', 'oauth_client_secret');
  });

  it('no secret value is declared anywhere (versions are added outside Terraform)', () => {
    expect(resourcesOfType('google_secret_manager_secret_version')).toEqual([]);
  });
});

describe('terraform: Pub/Sub and Scheduler', () => {
  it('pubsub.tf declares exactly the topics of shared/contracts/events.ts', () => {
    expect([...declaredTopics()].sort()).toEqual(Object.values(Topics).sort());
  });

  it.each(Object.values(Topics))('%s has a dead-letter topic', (topic) => {
    expect(declaredTopics()).toContain(topic);
    const deadLetter = resource('pubsub.tf', 'google_pubsub_topic', 'dead_letter');
    expect(deadLetter['for_each']).toBe('${toset(local.event_topics)}');
    expect(deadLetter['name']).toBe('${each.key}-dlq');
  });

  it('topics are declared once, in pubsub.tf (modules that could create one are told not to)', () => {
    const rootTopics = resourcesOfType('google_pubsub_topic', isRootFile);
    expect(rootTopics.map((t) => t.path)).toEqual(rootTopics.map(() => 'pubsub.tf'));
    for (const call of rootModuleCalls().filter((m) => m.block['source'] === './modules/scheduled-topic')) {
      expect(call.block['create_topic'], `${call.name} create_topic`).toBe(false);
    }
  });

  it('publisher grants are per topic and name deployed functions', () => {
    const publishers = z.record(z.string(), z.array(z.string())).parse(locals('pubsub.tf')['topic_publishers']);
    const moduleNames = functionModules().map((m) => m.name);
    for (const [topic, fns] of Object.entries(publishers)) {
      expect(declaredTopics()).toContain(topic);
      for (const name of fns) expect(moduleNames).toContain(name);
    }
    expect(resource('pubsub.tf', 'google_pubsub_topic_iam_member', 'function_publisher')).toMatchObject({
      topic: '${google_pubsub_topic.event[each.value.topic].name}',
      role: 'roles/pubsub.publisher',
    });
  });

  it.each(resourcesOfType('google_cloud_scheduler_job').map((j) => ({ where: `${j.path}: ${j.name}`, job: j.block })))(
    'scheduler job $where has a time zone and a Pub/Sub target',
    ({ job }) => {
      expect(attr(job, 'time_zone')).toBeTruthy();
      expect(attr(nestedOne(job, 'pubsub_target'), 'topic_name')).toBeTruthy();
    },
  );

  it('the scheduled-topic module evaluates crons in Asia/Kolkata by default', () => {
    expect(variablesIn('modules/scheduled-topic').get('time_zone')?.['default']).toBe('Asia/Kolkata');
  });

  it.each(schedules)('cron $cron publishes to $topic, a declared topic, in a time zone', ({ topic, cron }) => {
    const call = single(
      moduleCalls('scheduler.tf').filter((m) => m.block['schedule'] === cron).map((m) => m.block),
      `schedule ${cron}`,
    );
    expect(call['source']).toBe('./modules/scheduled-topic');
    const target = eventTopicRef(attr(call, 'topic_name'), 'name');
    expect(target).toBe(topic);
    expect(declaredTopics()).toContain(target);
    const timeZone = attr(call, 'time_zone');
    if (timeZone === '${var.schedule_time_zone}') {
      expect(variablesIn('.').get('schedule_time_zone')?.['default']).toBe('Asia/Kolkata');
    } else {
      expect(timeZone).toBe('Asia/Kolkata');
    }
    expect(attr(call, 'payload_json')).toMatch(/^\$\{jsonencode\(.*\)\}$/s);
  });
});

describe('terraform: IAM', () => {
  const projectMembers = resourcesOfType('google_project_iam_member');

  it('finds the project-level grants', () => {
    expect(projectMembers.length).toBeGreaterThan(0);
  });

  it.each(projectMembers.map((m) => ({ where: `${m.path}: ${m.name}`, member: m.block })))(
    'project grant $where is allowlisted and goes to function service accounts only',
    ({ member }) => {
      expect(projectRoleAllowlist).toContain(member['role']);
      const role = String(member['role']);
      if (role in restrictedProjectRoles) {
        // Granted per named function through the service-account map, to exactly the listed ones.
        expect(member['member']).toBe('serviceAccount:${local.function_service_accounts[each.key]}');
        expect(member['for_each']).toBe(`\${toset(${JSON.stringify(restrictedProjectRoles[role])})}`.replace(/","/g, '", "'));
        return;
      }
      const viaMap = member['for_each'] === '${local.function_service_accounts}' && member['member'] === 'serviceAccount:${each.value}';
      const viaModule = /^serviceAccount:\$\{module\.\w+\.service_account_email\}$/.test(attr(member, 'member') ?? '');
      expect(viaMap || viaModule).toBe(true);
    },
  );

  it('function_service_accounts lists exactly the deployed function modules', () => {
    const accounts = Block.parse(locals('functions.tf')['function_service_accounts']);
    const moduleNames = functionModules().map((m) => m.name).sort();
    expect(Object.keys(accounts).sort()).toEqual(moduleNames);
    for (const [name, email] of Object.entries(accounts)) {
      expect(email).toBe(`\${module.${name}.service_account_email}`);
    }
  });

  it('no authoritative project IAM resource replaces the project policy', () => {
    expect(resourcesOfType('google_project_iam_binding')).toEqual([]);
    expect(resourcesOfType('google_project_iam_policy')).toEqual([]);
  });

  it('allUsers may invoke only HTTP functions, through the module switch', () => {
    const publicGrants = parsedDocs().flatMap(({ path, doc: d }) =>
      Object.values(d.resource ?? {}).flatMap((byName) =>
        Object.entries(byName).flatMap(([name, blocks]) =>
          blocks.filter((b) => b['member'] === 'allUsers' || b['member'] === 'allAuthenticatedUsers').map(() => `${path}: ${name}`),
        ),
      ),
    );
    expect(publicGrants).toEqual(['modules/function/main.tf: public_invoker']);
    expect(resource('modules/function/main.tf', 'google_cloud_run_service_iam_member', 'public_invoker')['count']).toBe(
      '${var.allow_unauthenticated ? 1 : 0}',
    );
    const publicFunctions = functionModules().filter((m) => m.block['allow_unauthenticated'] === true);
    const httpNames = registeredFunctions.filter((f) => f.trigger === 'http').map((f) => f.entryPoint);
    for (const call of publicFunctions) expect(httpNames).toContain(call.block['entry_point']);
  });
});

describe('terraform: data stores and keys', () => {
  it('Firestore is one Native-mode database in the deployment region', () => {
    expect(resource('firestore.tf', 'google_firestore_database', 'main')).toMatchObject({
      name: '(default)',
      type: 'FIRESTORE_NATIVE',
      location_id: '${var.region}',
    });
  });

  it.each(ttlFields)('TTL policy on collection group $collection, field $field', ({ collection, field }) => {
    const matches = resourcesOfType('google_firestore_field').filter(
      (f) => f.block['collection'] === collection && f.block['field'] === field,
    );
    const ttl = single(matches.map((m) => m.block), `google_firestore_field for ${collection}.${field}`);
    expect(nested(ttl, 'ttl_config')).toHaveLength(1);
    expect(ttl['database']).toBe('${google_firestore_database.main.name}');
  });

  const cryptoKeys = resourcesOfType('google_kms_crypto_key');

  it('declares a KMS key', () => {
    expect(cryptoKeys.length).toBeGreaterThan(0);
  });

  it.each(cryptoKeys.map((k) => ({ name: k.name, key: k.block })))('KMS key $name rotates at least every 90 days', ({ key }) => {
    const rotation = /^(\d+)s$/.exec(attr(key, 'rotation_period') ?? '');
    expect(rotation).not.toBeNull();
    expect(Number(rotation?.[1])).toBeGreaterThan(0);
    expect(Number(rotation?.[1])).toBeLessThanOrEqual(7_776_000);
    expect(key['purpose']).toBe('ENCRYPT_DECRYPT');
  });

  it('only the functions that seal or open credentials may use the key, on that key alone', () => {
    const grant = resource('kms.tf', 'google_kms_crypto_key_iam_member', 'envelope_user');
    expect(grant).toMatchObject({
      for_each: '${toset(local.kms_users)}',
      crypto_key_id: '${google_kms_crypto_key.envelope.id}',
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:${local.function_service_accounts[each.key]}',
    });
    const users = z.array(z.string()).parse(locals('kms.tf')['kms_users']);
    expect([...users].sort()).toEqual(kmsUsers.map(moduleNameOf).sort());
  });

  const buckets = resourcesOfType('google_storage_bucket');

  it('declares the function source and exports buckets', () => {
    expect(buckets.map((b) => b.name).sort()).toEqual(['exports', 'function_source']);
  });

  it.each(buckets.map((b) => ({ name: b.name, bucket: b.block })))(
    'bucket $name enforces public access prevention and uniform access',
    ({ bucket }) => {
      expect(bucket['public_access_prevention']).toBe('enforced');
      expect(bucket['uniform_bucket_level_access']).toBe(true);
    },
  );
});
