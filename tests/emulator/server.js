#!/usr/bin/env node
'use strict';
/*
 * Telegram Bot API emulator for the helpline bot's end-to-end tests.
 *
 * It starts the `telegram-test-api` package (pinned in package.json) and puts an
 * outer express app in front of it. The outer app:
 *
 *   - answers every bot route `/bot<token>/<method>` itself, because the package's
 *     bot routes are too partial for aiogram 3 (details at each handler below);
 *   - adds test-only routes under `/test/...` to act as users (by injecting raw
 *     Update objects), to inspect what the bot did, to inject faults and to
 *     exercise webhook mode;
 *   - passes every other request to the package's own express app, so its client
 *     routes (`/sendMessage`, `/sendCommand`, `/sendCallback`, `/getUpdates`,
 *     `/getUpdatesHistory`) keep working; updates they queue are delivered by our
 *     getUpdates, and bot messages we record are mirrored into its storage.
 *
 * Usage: node server.js [--port N] [--host H]      (env: EMULATOR_PORT, EMULATOR_HOST)
 * Port 0 picks a free port. Prints exactly one line `READY <port>` to stdout once
 * listening; everything else goes to stderr.
 */

const http = require('http');
const { EventEmitter } = require('events');
const express = require('express');
const busboy = require('busboy');
// The package exports the TelegramServer class itself (module.exports = TelegramServer).
const TelegramServer = require('telegram-test-api');

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

function argValue(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : undefined;
}

const PORT = Number(argValue('port') ?? process.env.EMULATOR_PORT ?? 9001);
const HOST = argValue('host') ?? process.env.EMULATOR_HOST ?? '127.0.0.1';
// Long polls are capped so a test never waits long for an idle getUpdates to return,
// while a polling bot still makes only ~1 request per second when idle.
const LONG_POLL_CAP_MS = Number(process.env.EMULATOR_LONG_POLL_CAP_MS ?? 1000);
const BOT_USERNAME = process.env.EMULATOR_BOT_USERNAME ?? 'HelplineTestBot';
const BOT_FIRST_NAME = process.env.EMULATOR_BOT_FIRST_NAME ?? 'Helpline Test Bot';

// telegram-test-api: we use its express app (for its client routes) and its
// storage/update-id counter, but never call its start(): it treats port 0 as 9000
// and always binds its own server; we bind one server for both apps instead.
const tg = new TelegramServer({ port: PORT || 9000, host: HOST, storeTimeout: 3600 });

// ---------------------------------------------------------------------------
// State (everything but the id counters is cleared by POST /test/reset)
// ---------------------------------------------------------------------------

const bus = new EventEmitter();
bus.setMaxListeners(0);

function freshState() {
  return {
    updates: [], // pending updates: {token|null, update}; dropped when confirmed by offset
    calls: [], // every bot API call: {seq, time, token, method, params, fault?, status}
    messages: new Map(), // chatKey -> [record]; bot AND user messages, in order
    deletions: [], // {chat_id, message_id, by_bot_method, was_bot_message, time}
    commands: new Map(), // `${token}|${scopeKey}|${lang}` -> {scope, language_code, commands}
    webhooks: new Map(), // token -> {url, secret_token, ...}
    deliveries: [], // webhook pushes: {update_id, url, status, body, secret_token}
    faults: [], // {method, count, kind, retry_after, seconds, chat_id, description}
    callbackAnswers: [], // answerCallbackQuery params
    topics: [], // forum topics created by the bot
    chats: new Map(), // chatKey -> Chat object learned from updates
    callbackQueries: new Map(), // callback query id -> callback query
    botSettings: new Map(), // setMyDescription & co, keyed `${method}|${lang}`
    // Off by default (harness tests write to made-up users): when on, a bot cannot write first
    // to a private chat whose user never wrote to it, as on Telegram (403).
    strictPrivate: false,
  };
}

let state = freshState();
// Counters stay monotonic across resets: a bot process that lives across tests keeps
// its getUpdates offset, and must not mistake new updates for confirmed ones.
const messageIdByChat = new Map();
let callSeq = 0;
let callbackSeq = 0;
let fileSeq = 0;
let topicSeq = 0;

function nextUpdateId() {
  // Shared with telegram-test-api so updates queued through its client routes and
  // through /test/* routes never reuse an id.
  const id = tg.updateId;
  tg.updateId += 1;
  return id;
}

function nextMessageId(chatId) {
  const key = String(chatId);
  const id = (messageIdByChat.get(key) ?? 0) + 1;
  messageIdByChat.set(key, id);
  return id;
}

const now = () => Math.floor(Date.now() / 1000);

function botUser(token) {
  // Telegram bot tokens are `<bot id>:<secret>`; getMe must report that id.
  const id = Number(String(token).split(':')[0]) || 666;
  return { id, is_bot: true, first_name: BOT_FIRST_NAME, username: BOT_USERNAME };
}

// ---------------------------------------------------------------------------
// Request parsing: aiogram 3 posts application/x-www-form-urlencoded when there are
// no files and multipart/form-data when there are; other clients send JSON or GET
// query strings. telegram-test-api only parsed JSON and urlencoded bodies.
// ---------------------------------------------------------------------------

// Parameters that Telegram takes as JSON-serialized strings in form bodies.
const JSON_PARAMS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'commands', 'scope', 'allowed_updates',
  'message_ids', 'link_preview_options', 'reply_parameters', 'media', 'menu_button',
  'results', 'reaction', 'rights', 'permissions', 'options', 'prices',
]);
const NUMERIC_PARAMS = new Set([
  'chat_id', 'from_chat_id', 'message_id', 'message_thread_id', 'reply_to_message_id',
  'offset', 'limit', 'timeout', 'user_id', 'cache_time', 'max_connections', 'duration',
  'icon_color', 'latitude', 'longitude', 'width', 'height',
]);
const BOOL_PARAMS = new Set([
  'show_alert', 'drop_pending_updates', 'disable_notification', 'protect_content',
  'disable_web_page_preview', 'allow_sending_without_reply', 'for_channels',
]);

function coerceParams(raw) {
  const out = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      out[key] = value;
    } else if (JSON_PARAMS.has(key) && /^\s*[[{"]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
      } catch (_e) {
        out[key] = value;
      }
    } else if (NUMERIC_PARAMS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) {
      out[key] = Number(value);
    } else if (BOOL_PARAMS.has(key) && (value === 'true' || value === 'false')) {
      out[key] = value === 'true';
    } else {
      out[key] = value;
    }
  }
  return out;
}

function parseMultipart(req) {
  return new Promise((resolve, reject) => {
    const fields = {};
    const files = {};
    const bb = busboy({ headers: req.headers });
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        files[name] = { filename: info.filename, mimeType: info.mimeType, size: data.length, data };
      });
    });
    bb.on('error', reject);
    bb.on('close', () => resolve({ fields, files }));
    req.pipe(bb);
  });
}

async function readParams(req) {
  let body = {};
  let files = {};
  const type = String(req.headers['content-type'] || '');
  if (type.startsWith('multipart/form-data')) {
    ({ fields: body, files } = await parseMultipart(req));
  } else if (req.body && typeof req.body === 'object') {
    body = req.body;
  }
  return { params: coerceParams({ ...req.query, ...body }), files };
}

// ---------------------------------------------------------------------------
// Errors and small helpers
// ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(code, description, parameters) {
    super(description);
    this.code = code;
    this.description = description;
    this.parameters = parameters;
  }
}
const bad = (description) => new ApiError(400, `Bad Request: ${description}`);

function chatKey(chatId) {
  return String(chatId);
}

function chatMessages(chatId) {
  const key = chatKey(chatId);
  if (!state.messages.has(key)) state.messages.set(key, []);
  return state.messages.get(key);
}

function findRecord(chatId, messageId) {
  const list = state.messages.get(chatKey(chatId)) || [];
  return list.find((r) => r.message_id === Number(messageId));
}

function chatObject(chatId) {
  // Prefer the chat as the user side introduced it; otherwise guess from the id sign
  // the way Telegram numbers chats (supergroups are -100xxxxxxxxxx).
  const known = state.chats.get(chatKey(chatId));
  if (known) return known;
  const id = Number(chatId);
  if (!Number.isFinite(id)) throw bad('chat not found');
  if (id > 0) return { id, type: 'private', first_name: 'User' };
  if (id <= -1000000000000) return { id, type: 'supergroup', title: `Supergroup ${id}` };
  return { id, type: 'group', title: `Group ${id}` };
}

function requireChat(params) {
  if (params.chat_id === undefined || params.chat_id === '') throw bad('chat_id is empty');
  return chatObject(params.chat_id);
}

// Telegram-style HTML parsing: strips tags into entities and rejects what Telegram
// rejects, so a bot that forgets to escape user text fails here as it would live.
const HTML_TAGS = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler',
  span: 'spoiler', a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const HTML_ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

function parseHtml(src) {
  let text = '';
  const entities = [];
  const stack = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '<') {
      const end = src.indexOf('>', i);
      if (end < 0) throw bad(`can't parse entities: Unclosed start tag at byte offset ${i}`);
      const inner = src.slice(i + 1, end);
      if (inner.startsWith('/')) {
        const name = inner.slice(1).trim().toLowerCase();
        const top = stack.pop();
        if (!top || top.name !== name) {
          throw bad(`can't parse entities: Unmatched end tag at byte offset ${i}, expected `
            + `"</${top ? top.name : ''}>", found "</${name}>"`);
        }
        const entity = { type: HTML_TAGS[name], offset: top.offset, length: text.length - top.offset };
        const href = /href\s*=\s*["']([^"']*)["']/.exec(top.attrs);
        if (name === 'a' && href) entity.url = href[1];
        if (entity.length > 0) entities.push(entity);
      } else {
        const m = /^([a-zA-Z][\w-]*)([\s\S]*)$/.exec(inner);
        const name = m ? m[1].toLowerCase() : inner;
        if (!m || !(name in HTML_TAGS)) {
          throw bad(`can't parse entities: Unsupported start tag "${name}" at byte offset ${i}`);
        }
        stack.push({ name, offset: text.length, attrs: m[2] });
      }
      i = end + 1;
    } else if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(src.slice(i, i + 12));
      if (m && m[1].startsWith('#')) {
        const n = m[1][1] === 'x' ? parseInt(m[1].slice(2), 16) : parseInt(m[1].slice(1), 10);
        text += String.fromCodePoint(n);
        i += m[0].length;
      } else if (m && m[1] in HTML_ENTITIES) {
        text += HTML_ENTITIES[m[1]];
        i += m[0].length;
      } else if (m) {
        throw bad(`can't parse entities: Unsupported HTML entity "&${m[1]};" at byte offset ${i}`);
      } else {
        text += c;
        i += 1;
      }
    } else {
      text += c;
      i += 1;
    }
  }
  if (stack.length) {
    throw bad(`can't parse entities: Can't find end tag corresponding to start tag "${stack[stack.length - 1].name}"`);
  }
  return { text, entities };
}

function renderText(rawText, parseMode, explicitEntities) {
  // Returns {text, entities} as Telegram would store them.
  if (String(parseMode || '').toUpperCase() === 'HTML') return parseHtml(String(rawText));
  return { text: String(rawText), entities: Array.isArray(explicitEntities) ? explicitEntities : undefined };
}

function validateMarkup(markup) {
  // Telegram rejects callback_data outside 1..64 bytes; bots that pack ids into
  // callback_data tend to hit this only in production.
  if (!markup || !Array.isArray(markup.inline_keyboard)) return;
  for (const row of markup.inline_keyboard) {
    for (const button of row) {
      if (!button.text) throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if ('callback_data' in button) {
        const size = Buffer.byteLength(String(button.callback_data), 'utf8');
        if (size < 1 || size > 64) throw bad('BUTTON_DATA_INVALID');
      }
    }
  }
}

function replyToId(params) {
  if (params.reply_parameters && params.reply_parameters.message_id) {
    return Number(params.reply_parameters.message_id);
  }
  return params.reply_to_message_id ? Number(params.reply_to_message_id) : undefined;
}

function stripNested(message) {
  // reply_to_message inside reply_to_message is not sent by Telegram.
  if (!message) return undefined;
  const copy = { ...message };
  delete copy.reply_to_message;
  return copy;
}

function fileId(prefix) {
  fileSeq += 1;
  return { file_id: `${prefix}-${fileSeq}`, file_unique_id: `u${prefix}${fileSeq}` };
}

// ---------------------------------------------------------------------------
// Bot messages
// ---------------------------------------------------------------------------

/**
 * Records a message sent by the bot and returns the Telegram Message object.
 * `content` holds the method-specific fields (text/entities or photo/voice/...).
 */
function addBotMessage(token, method, params, content) {
  const chat = requireChat(params);
  validateMarkup(params.reply_markup);
  const messageId = nextMessageId(chat.id);
  const message = {
    message_id: messageId,
    from: botUser(token),
    chat,
    date: now(),
    ...content,
  };
  if (params.message_thread_id) {
    message.message_thread_id = Number(params.message_thread_id);
    if (chat.is_forum) message.is_topic_message = true;
  }
  const replyId = replyToId(params);
  if (replyId) {
    const target = findRecord(chat.id, replyId);
    if (target) message.reply_to_message = stripNested(target.message);
    else if (!(params.reply_parameters && params.reply_parameters.allow_sending_without_reply)) {
      throw bad('message to be replied not found');
    }
  }
  // Telegram only echoes inline keyboards back in the Message; reply keyboards are
  // kept on the record (below) so tests can still assert on them.
  if (params.reply_markup && params.reply_markup.inline_keyboard) {
    message.reply_markup = params.reply_markup;
  }
  const record = {
    message_id: messageId,
    chat_id: chat.id,
    token,
    from_bot: true,
    method,
    text: message.text ?? null,
    caption: message.caption ?? null,
    parse_mode: params.parse_mode ?? null,
    raw_text: params.text ?? params.caption ?? null,
    reply_markup: params.reply_markup ?? null,
    message_thread_id: message.message_thread_id ?? null,
    reply_to_message_id: replyId ?? null,
    message,
    params,
    deleted: false,
    edits: [],
    time: Date.now(),
  };
  chatMessages(chat.id).push(record);
  // Mirror into telegram-test-api's storage so its /getUpdates and /getUpdatesHistory
  // client routes still see bot messages.
  tg.storage.botMessages.push({
    time: Date.now(), botToken: token, message: { ...params, ...message }, updateId: 0, messageId, isRead: false,
  });
  bus.emit('bot-message', record);
  return message;
}

function recordUserMessage(token, message, updateId) {
  const existing = findRecord(message.chat.id, message.message_id);
  if (existing) {
    existing.edits.push({ text: existing.text, caption: existing.caption, time: Date.now() });
    existing.message = message;
    existing.text = message.text ?? null;
    existing.caption = message.caption ?? null;
    return;
  }
  chatMessages(message.chat.id).push({
    message_id: message.message_id,
    chat_id: message.chat.id,
    token,
    from_bot: false,
    method: null,
    text: message.text ?? null,
    caption: message.caption ?? null,
    parse_mode: null,
    raw_text: message.text ?? null,
    reply_markup: null,
    message_thread_id: message.message_thread_id ?? null,
    reply_to_message_id: message.reply_to_message ? message.reply_to_message.message_id : null,
    message,
    update_id: updateId,
    deleted: false,
    edits: [],
    time: Date.now(),
  });
}

function editRecord(params, changes, method) {
  if (params.inline_message_id) return true; // inline messages: nothing stored, Telegram answers true
  const record = findRecord(requireChat(params).id, params.message_id);
  if (!record || record.deleted) throw bad('message to edit not found');
  if (!record.from_bot) throw bad("message can't be edited");
  const next = { ...record.message, ...changes };
  if ('reply_markup' in params) {
    validateMarkup(params.reply_markup);
    if (params.reply_markup && params.reply_markup.inline_keyboard) next.reply_markup = params.reply_markup;
    else delete next.reply_markup;
  } else if (method === 'editMessageText' || method === 'editMessageCaption') {
    // Telegram drops the inline keyboard when an edit does not repeat it.
    delete next.reply_markup;
  }
  const same = JSON.stringify({ t: record.message.text, c: record.message.caption, r: record.message.reply_markup })
    === JSON.stringify({ t: next.text, c: next.caption, r: next.reply_markup });
  if (same) {
    // Real Telegram refuses no-op edits; bots must tolerate this error.
    throw bad('message is not modified: specified new message content and reply markup are '
      + 'exactly the same as a current content and reply markup of the message');
  }
  record.edits.push({
    method, text: record.text, caption: record.caption, reply_markup: record.reply_markup, time: Date.now(),
  });
  next.edit_date = now();
  record.message = next;
  record.text = next.text ?? null;
  record.caption = next.caption ?? null;
  if ('reply_markup' in params) record.reply_markup = params.reply_markup ?? null;
  else if (method !== 'editMessageReplyMarkup') record.reply_markup = null;
  if (params.parse_mode) record.parse_mode = params.parse_mode;
  if (changes.text !== undefined) record.raw_text = params.text;
  bus.emit('bot-message', record);
  return next;
}

function deleteOne(chatId, messageId, method) {
  const record = findRecord(chatId, messageId);
  // Messages injected through telegram-test-api's own client routes are not in our store.
  const legacy = tg.deleteMessage(Number(chatId), Number(messageId));
  if ((!record || record.deleted) && !legacy) return false;
  if (record) {
    record.deleted = true;
    record.deleted_at = Date.now();
  }
  state.deletions.push({
    chat_id: Number(chatId),
    message_id: Number(messageId),
    method,
    was_bot_message: record ? record.from_bot : null,
    text: record ? record.text : null,
    time: Date.now(),
  });
  return true;
}

// ---------------------------------------------------------------------------
// Update queue, long polling and webhook push
// ---------------------------------------------------------------------------

function visibleTo(token) {
  return (item) => item.token === null || item.token === token;
}

function drainLegacyQueue() {
  // Updates queued through telegram-test-api's client routes (/sendMessage & co) land
  // in its storage; move them into our queue so getUpdates (with offsets) serves them.
  for (const legacy of tg.storage.userMessages) {
    if (legacy.isRead) continue;
    legacy.isRead = true;
    const update = TelegramServer.formatUpdate(legacy);
    // Its messages carry date in milliseconds and callbacks lack chat_instance;
    // aiogram validates both.
    if (update.message) {
      delete update.message.botToken;
      update.message.date = now();
    }
    if (update.callback_query) update.callback_query.chat_instance = '1';
    state.updates.push({ token: legacy.botToken, update });
  }
}

function pendingFor(token) {
  drainLegacyQueue();
  return state.updates.filter(visibleTo(token));
}

function webhookFor(token) {
  if (token) return state.webhooks.get(token);
  // An update injected without a token goes to the only webhook, if there is one.
  if (state.webhooks.size === 1) return [...state.webhooks.values()][0];
  return undefined;
}

async function pushUpdate(token, update, options = {}) {
  const hook = webhookFor(token);
  if (!hook) {
    state.updates.push({ token: token || null, update });
    bus.emit('update');
    return { queued: true, update_id: update.update_id };
  }
  // Webhook mode: POST the update like Telegram does, with the secret header when
  // the bot set one (a test may override it to check that the bot rejects it).
  const secret = 'secret_token' in options ? options.secret_token : hook.secret_token;
  const headers = { 'content-type': 'application/json' };
  if (secret !== null && secret !== undefined && secret !== '') {
    headers['x-telegram-bot-api-secret-token'] = secret;
  }
  let status = 0;
  let body = null;
  try {
    const res = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update) });
    status = res.status;
    body = await res.text();
  } catch (e) {
    body = String(e);
  }
  const delivery = { update_id: update.update_id, url: hook.url, status, body, secret_token: secret ?? null };
  state.deliveries.push(delivery);
  // A bot may answer the webhook request with a method call in the response body.
  try {
    const parsed = body ? JSON.parse(body) : null;
    if (parsed && typeof parsed.method === 'string') {
      const { method, ...params } = parsed;
      await callMethod(hook.token, method, coerceParams(params), {});
    }
  } catch (_e) {
    // not JSON or not a method: fine
  }
  return { queued: false, update_id: update.update_id, webhook: delivery };
}

function waitForUpdate(token, ms, req) {
  // Watch the response, not the request: in Node >= 16 a request emits 'close' once its
  // body is read, whereas the response's 'close' before we answer means the client left.
  const watched = req.res || req;
  return new Promise((resolve) => {
    let timer = null;
    const done = () => {
      clearTimeout(timer);
      bus.off('update', onUpdate);
      bus.off('reset', done);
      watched.off('close', done);
      resolve();
    };
    const onUpdate = () => {
      if (pendingFor(token).length) done();
    };
    timer = setTimeout(done, ms);
    bus.on('update', onUpdate);
    bus.on('reset', done);
    watched.on('close', done);
  });
}

// ---------------------------------------------------------------------------
// Bot API methods. Each handler gets (token, params, files, req) and returns the
// `result` value or throws ApiError.
// ---------------------------------------------------------------------------

function mediaContent(params, files, kind) {
  const caption = params.caption !== undefined
    ? renderText(params.caption, params.parse_mode, params.caption_entities) : null;
  if (caption && caption.text.length > 1024) throw bad('message caption is too long');
  const content = {};
  if (caption) {
    content.caption = caption.text;
    if (caption.entities && caption.entities.length) content.caption_entities = caption.entities;
  }
  const source = params[kind];
  if (source === undefined || source === '') throw bad(`there is no ${kind} in the request`);
  const uploaded = typeof source === 'string' && source.startsWith('attach://')
    ? files[source.slice('attach://'.length)] : undefined;
  const ids = typeof source === 'string' && !source.startsWith('attach://') && !/^https?:/.test(source)
    ? { file_id: source, file_unique_id: `u${source}` } : fileId(kind);
  const size = uploaded ? { file_size: uploaded.size } : {};
  if (kind === 'photo') content.photo = [{ ...ids, width: 320, height: 240, ...size }];
  else if (kind === 'voice') content.voice = { ...ids, duration: Number(params.duration) || 1, mime_type: 'audio/ogg', ...size };
  else if (kind === 'sticker') content.sticker = { ...ids, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false };
  else if (kind === 'audio') content.audio = { ...ids, duration: Number(params.duration) || 1, ...size };
  else if (kind === 'video') content.video = { ...ids, width: 320, height: 240, duration: Number(params.duration) || 1, ...size };
  else if (kind === 'animation') content.animation = { ...ids, width: 320, height: 240, duration: 1, ...size };
  else content[kind] = { ...ids, file_name: uploaded ? uploaded.filename : undefined, ...size };
  return content;
}

function sendMedia(kind) {
  return (token, params, files) => addBotMessage(token, `send${kind[0].toUpperCase()}${kind.slice(1)}`, params, mediaContent(params, files, kind));
}

function scopeKey(scope) {
  if (!scope || !scope.type || scope.type === 'default') return 'default';
  const parts = [scope.type];
  if (scope.chat_id !== undefined) parts.push(String(scope.chat_id));
  if (scope.user_id !== undefined) parts.push(String(scope.user_id));
  return parts.join(':');
}

function commandsKey(token, params) {
  return `${token}|${scopeKey(params.scope)}|${params.language_code || ''}`;
}

function chatFullInfo(chat) {
  // getChat returns ChatFullInfo, whose required fields aiogram validates.
  return {
    ...chat,
    accent_color_id: 0,
    max_reaction_count: 11,
    accepted_gift_types: {
      unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false,
    },
  };
}

function userFor(id) {
  for (const chat of state.chats.values()) {
    if (chat.type === 'private' && chat.id === Number(id)) {
      return { id: chat.id, is_bot: false, first_name: chat.first_name || 'User', username: chat.username };
    }
  }
  return { id: Number(id), is_bot: false, first_name: 'User' };
}

const METHODS = {
  // telegram-test-api's getMe lacks is_bot (aiogram's User model requires it) and
  // reports id 666 whatever the token says.
  getMe: (token) => ({
    ...botUser(token),
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  }),
  logOut: () => true,
  close: () => true,

  // telegram-test-api's getUpdates ignored offset (updates were marked read on first
  // delivery, so a crash lost them) and timeout (returned at once, so an idle polling
  // bot spun hundreds of requests per second). We keep updates until the bot confirms
  // them with a higher offset, and long-poll for up to min(timeout, 1 s).
  getUpdates: async (token, params, _files, req) => {
    if (state.webhooks.has(token)) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = Number(params.offset) || 0;
    const limit = Math.min(Math.max(Number(params.limit) || 100, 1), 100);
    if (offset > 0) {
      state.updates = state.updates.filter((item) => !visibleTo(token)(item) || item.update.update_id >= offset);
    }
    let pending = pendingFor(token);
    const waitMs = Math.min((Number(params.timeout) || 0) * 1000, LONG_POLL_CAP_MS);
    if (!pending.length && waitMs > 0) {
      await waitForUpdate(token, waitMs, req);
      pending = pendingFor(token);
    }
    let items = pending;
    if (Array.isArray(params.allowed_updates) && params.allowed_updates.length) {
      const allowed = new Set(params.allowed_updates);
      items = pending.filter((item) => Object.keys(item.update).some((k) => allowed.has(k)));
    }
    return items.slice(0, limit).map((item) => item.update);
  },
  setWebhook: (token, params) => {
    if (!params.url) {
      state.webhooks.delete(token);
      return true;
    }
    state.webhooks.set(token, {
      token,
      url: String(params.url),
      secret_token: params.secret_token ?? null,
      allowed_updates: params.allowed_updates ?? null,
      max_connections: params.max_connections ?? 40,
    });
    if (params.drop_pending_updates) state.updates = state.updates.filter((i) => !visibleTo(token)(i));
    return true;
  },
  deleteWebhook: (token, params) => {
    state.webhooks.delete(token);
    if (params.drop_pending_updates) state.updates = state.updates.filter((i) => !visibleTo(token)(i));
    return true;
  },
  getWebhookInfo: (token) => {
    const hook = state.webhooks.get(token);
    const info = { url: hook ? hook.url : '', has_custom_certificate: false, pending_update_count: pendingFor(token).length };
    if (hook) info.max_connections = hook.max_connections;
    if (hook && hook.allowed_updates) info.allowed_updates = hook.allowed_updates;
    return info;
  },

  // telegram-test-api's sendMessage answered with date in milliseconds, a fixed
  // private chat and no `from`; aiogram needs a complete Message.
  sendMessage: (token, params) => {
    if (params.text === undefined || String(params.text).trim() === '') throw bad('message text is empty');
    const { text, entities } = renderText(params.text, params.parse_mode, params.entities);
    if (text.length > 4096) throw bad('message is too long');
    const content = { text };
    if (entities && entities.length) content.entities = entities;
    return addBotMessage(token, 'sendMessage', params, content);
  },
  sendPhoto: sendMedia('photo'),
  sendVoice: sendMedia('voice'),
  sendDocument: sendMedia('document'),
  sendSticker: sendMedia('sticker'),
  sendAudio: sendMedia('audio'),
  sendVideo: sendMedia('video'),
  sendAnimation: sendMedia('animation'),
  sendLocation: (token, params) => addBotMessage(token, 'sendLocation', params, {
    location: { latitude: Number(params.latitude), longitude: Number(params.longitude) },
  }),
  sendContact: (token, params) => addBotMessage(token, 'sendContact', params, {
    contact: { phone_number: String(params.phone_number), first_name: String(params.first_name) },
  }),
  sendMediaGroup: (token, params) => (params.media || []).map((item) => addBotMessage(
    token, 'sendMediaGroup', params, { [item.type === 'photo' ? 'photo' : item.type]: item.type === 'photo' ? [{ ...fileId('photo'), width: 320, height: 240 }] : fileId(item.type), caption: item.caption },
  )),
  copyMessage: (token, params) => {
    const source = findRecord(params.from_chat_id, params.message_id);
    if (!source) throw bad('message to copy not found');
    const { message_id: _id, from: _from, chat: _chat, date: _date, reply_to_message: _r, edit_date: _e, ...content } = source.message;
    if (params.caption !== undefined) content.caption = String(params.caption);
    const msg = addBotMessage(token, 'copyMessage', params, content);
    const record = findRecord(msg.chat.id, msg.message_id);
    record.copied_from = { chat_id: source.chat_id, message_id: source.message_id };
    return { message_id: msg.message_id };
  },
  forwardMessage: (token, params) => {
    const source = findRecord(params.from_chat_id, params.message_id);
    if (!source) throw bad('message to forward not found');
    const { message_id: _id, from: _from, chat: _chat, date: _date, reply_to_message: _r, edit_date: _e, ...content } = source.message;
    const msg = addBotMessage(token, 'forwardMessage', params, {
      ...content,
      forward_origin: { type: 'user', sender_user: source.message.from, date: source.message.date },
    });
    findRecord(msg.chat.id, msg.message_id).copied_from = { chat_id: source.chat_id, message_id: source.message_id };
    return msg;
  },
  sendChatAction: () => true,
  setMessageReaction: () => true,

  // telegram-test-api's edits answered `result: null`, which aiogram cannot parse as
  // Message|bool, and did not keep the previous versions.
  editMessageText: (_token, params) => {
    if (params.text === undefined || String(params.text).trim() === '') throw bad('message text is empty');
    const { text, entities } = renderText(params.text, params.parse_mode, params.entities);
    if (text.length > 4096) throw bad('message is too long');
    return editRecord(params, { text, entities: entities && entities.length ? entities : undefined }, 'editMessageText');
  },
  editMessageCaption: (_token, params) => {
    const caption = renderText(params.caption ?? '', params.parse_mode, params.caption_entities);
    return editRecord(params, { caption: caption.text }, 'editMessageCaption');
  },
  editMessageReplyMarkup: (_token, params) => editRecord(
    { reply_markup: undefined, ...params }, {}, 'editMessageReplyMarkup',
  ),
  // telegram-test-api's deleteMessage removed the message without a trace; we keep it
  // (flagged deleted) and log the deletion for assertions.
  deleteMessage: (_token, params) => {
    if (!deleteOne(params.chat_id, params.message_id, 'deleteMessage')) throw bad('message to delete not found');
    return true;
  },
  deleteMessages: (_token, params) => {
    const ids = Array.isArray(params.message_ids) ? params.message_ids : [];
    ids.forEach((id) => deleteOne(params.chat_id, id, 'deleteMessages'));
    return true;
  },
  answerCallbackQuery: (_token, params) => {
    if (!state.callbackQueries.has(String(params.callback_query_id))) {
      throw bad('query is too old and response timeout expired or query ID is invalid');
    }
    state.callbackAnswers.push({ ...params, time: Date.now() });
    return true;
  },

  setMyCommands: (token, params) => {
    if (!Array.isArray(params.commands)) throw bad('commands must be an array');
    for (const c of params.commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(String(c.command))) throw bad('BOT_COMMAND_INVALID');
      if (!c.description || String(c.description).length > 256) throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    state.commands.set(commandsKey(token, params), {
      token, scope: params.scope ?? { type: 'default' }, language_code: params.language_code || '', commands: params.commands,
    });
    return true;
  },
  deleteMyCommands: (token, params) => {
    state.commands.delete(commandsKey(token, params));
    return true;
  },
  getMyCommands: (token, params) => {
    const entry = state.commands.get(commandsKey(token, params));
    return entry ? entry.commands : [];
  },
  setMyDescription: (token, params) => {
    state.botSettings.set(`description|${params.language_code || ''}`, params.description || '');
    return true;
  },
  getMyDescription: (_t, params) => ({ description: state.botSettings.get(`description|${params.language_code || ''}`) || '' }),
  setMyShortDescription: (token, params) => {
    state.botSettings.set(`short_description|${params.language_code || ''}`, params.short_description || '');
    return true;
  },
  getMyShortDescription: (_t, params) => ({ short_description: state.botSettings.get(`short_description|${params.language_code || ''}`) || '' }),
  setMyName: (token, params) => {
    state.botSettings.set(`name|${params.language_code || ''}`, params.name || '');
    return true;
  },
  getMyName: (_t, params) => ({ name: state.botSettings.get(`name|${params.language_code || ''}`) || BOT_FIRST_NAME }),
  setChatMenuButton: (_t, params) => {
    state.botSettings.set(`menu_button|${params.chat_id || ''}`, params.menu_button || { type: 'default' });
    return true;
  },
  getChatMenuButton: (_t, params) => state.botSettings.get(`menu_button|${params.chat_id || ''}`) || { type: 'commands' },

  getChat: (_token, params) => {
    const chat = state.chats.get(chatKey(params.chat_id));
    if (!chat) throw bad('chat not found');
    return chatFullInfo(chat);
  },
  getChatMember: (token, params) => {
    if (Number(params.user_id) === botUser(token).id) {
      return { status: 'administrator', user: botUser(token), can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: false, can_restrict_members: true, can_promote_members: false, can_change_info: false, can_invite_users: true, can_post_stories: false, can_edit_stories: false, can_delete_stories: false, can_manage_topics: true };
    }
    return { status: 'member', user: userFor(params.user_id) };
  },
  getChatAdministrators: () => [],
  getChatMemberCount: () => 2,
  leaveChat: () => true,
  pinChatMessage: () => true,
  unpinChatMessage: () => true,
  unpinAllChatMessages: () => true,
  banChatMember: () => true,
  unbanChatMember: () => true,
  restrictChatMember: () => true,
  getFile: (_t, params) => ({
    file_id: String(params.file_id), file_unique_id: `u${params.file_id}`, file_size: 1024, file_path: `files/${params.file_id}`,
  }),

  // Forum topics: helpline operators may work in a forum supergroup where each
  // conversation gets its own topic.
  createForumTopic: (token, params) => {
    const chat = requireChat(params);
    if (!params.name) throw bad('TOPIC_NAME_EMPTY');
    topicSeq += 1;
    // Telegram uses the id of the topic's service message as message_thread_id.
    const threadId = nextMessageId(chat.id);
    const topic = {
      message_thread_id: threadId, name: String(params.name), icon_color: Number(params.icon_color) || 7322096,
    };
    if (params.icon_custom_emoji_id) topic.icon_custom_emoji_id = String(params.icon_custom_emoji_id);
    state.topics.push({ chat_id: chat.id, ...topic, closed: false, deleted: false, history: [] });
    return topic;
  },
  editForumTopic: (_t, params) => topicChange(params, (t) => {
    if (params.name) t.name = String(params.name);
    if (params.icon_custom_emoji_id !== undefined) t.icon_custom_emoji_id = params.icon_custom_emoji_id;
  }, 'edit'),
  closeForumTopic: (_t, params) => topicChange(params, (t) => { t.closed = true; }, 'close'),
  reopenForumTopic: (_t, params) => topicChange(params, (t) => { t.closed = false; }, 'reopen'),
  deleteForumTopic: (_t, params) => topicChange(params, (t) => { t.deleted = true; }, 'delete'),
  unpinAllForumTopicMessages: () => true,
  getForumTopicIconStickers: () => [],
};

function topicChange(params, change, action) {
  const chat = requireChat(params);
  const topic = state.topics.find((t) => t.chat_id === chat.id && t.message_thread_id === Number(params.message_thread_id) && !t.deleted);
  if (!topic) throw bad('TOPIC_ID_INVALID');
  change(topic);
  topic.history.push({ action, params, time: Date.now() });
  return true;
}

const METHODS_BY_LOWER = new Map(Object.keys(METHODS).map((name) => [name.toLowerCase(), name]));

function takeFault(method, params) {
  for (const fault of state.faults) {
    if (fault.count <= 0) continue;
    // "*" matches every method except getUpdates, so a fault meant for sendMessage
    // is not eaten by the polling loop; name getUpdates explicitly to fault it.
    const matches = fault.method === '*' ? method !== 'getUpdates' : fault.method.toLowerCase() === method.toLowerCase();
    if (!matches) continue;
    if (fault.chat_id !== undefined && fault.chat_id !== null && String(fault.chat_id) !== String(params.chat_id)) continue;
    fault.count -= 1;
    return fault;
  }
  return null;
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

const BOT_INITIATED = new Set([
  'sendMessage', 'sendPhoto', 'sendDocument', 'sendVoice', 'sendVideo', 'sendAudio', 'sendSticker',
  'sendAnimation', 'sendVideoNote', 'sendLocation', 'sendContact', 'sendMediaGroup', 'copyMessage',
  'forwardMessage',
]);

/** Runs one Bot API call; returns [httpStatus, jsonBody]. */
async function callMethod(token, rawMethod, params, files, req) {
  const method = METHODS_BY_LOWER.get(String(rawMethod).toLowerCase()) || rawMethod;
  const entry = { seq: ++callSeq, time: Date.now(), token, method, params };
  // Uploaded files (sendPhoto, sendDocument, ...), so tests can open what the bot sent.
  const uploads = Object.entries(files || {});
  if (uploads.length) {
    entry.files = Object.fromEntries(uploads.map(([name, f]) => [name, {
      filename: f.filename, mime_type: f.mimeType, size: f.size, base64: f.data.toString('base64'),
    }]));
  }
  state.calls.push(entry);
  const fault = takeFault(method, params);
  if (fault) {
    entry.fault = fault.kind;
    if (fault.kind === '429') {
      const retryAfter = Number(fault.retry_after ?? 1);
      entry.status = 429;
      return [429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }];
    }
    if (fault.kind === '500') {
      entry.status = 500;
      return [500, { ok: false, error_code: 500, description: fault.description || 'Internal Server Error' }];
    }
    if (fault.kind === '403') {
      entry.status = 403;
      return [403, { ok: false, error_code: 403, description: fault.description || 'Forbidden: bot was blocked by the user' }];
    }
    if (fault.kind === '400') {
      entry.status = 400;
      return [400, { ok: false, error_code: 400, description: fault.description || 'Bad Request: injected fault' }];
    }
    if (fault.kind === 'timeout') {
      // A slow Telegram: hang, then answer normally (the client may have given up).
      await sleep(Number(fault.seconds ?? 5) * 1000);
    }
  }
  // Telegram refuses to let a bot write first to a person who never started a chat with it.
  if (state.strictPrivate && BOT_INITIATED.has(method) && Number(params.chat_id) > 0
      && !state.chats.has(chatKey(params.chat_id))) {
    entry.status = 403;
    return [403, { ok: false, error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" }];
  }
  const handler = METHODS[method];
  if (!handler) {
    entry.status = 400;
    return [400, { ok: false, error_code: 400, description: 'Bad Request: method not found' }];
  }
  try {
    const result = await handler(token, params, files || {}, req || new EventEmitter());
    entry.status = 200;
    entry.result = result;
    return [200, { ok: true, result }];
  } catch (e) {
    if (!(e instanceof ApiError)) {
      process.stderr.write(`emulator: ${method} failed: ${e && e.stack}\n`);
      entry.status = 500;
      return [500, { ok: false, error_code: 500, description: `Internal Server Error: ${e}` }];
    }
    entry.status = e.code;
    entry.error = e.description;
    const body = { ok: false, error_code: e.code, description: e.description };
    if (e.parameters) body.parameters = e.parameters;
    return [e.code, body];
  }
}

// ---------------------------------------------------------------------------
// User side: building updates as Telegram would send them
// ---------------------------------------------------------------------------

function makeUser(user) {
  if (!user || user.id === undefined) throw bad('user.id is required');
  const out = { id: Number(user.id), is_bot: false, first_name: user.first_name || 'Test' };
  if (user.last_name) out.last_name = user.last_name;
  if (user.username) out.username = user.username;
  if (user.language_code) out.language_code = user.language_code;
  return out;
}

function makeChat(chat, from) {
  if (!chat) {
    const c = { id: from.id, type: 'private', first_name: from.first_name };
    if (from.username) c.username = from.username;
    return c;
  }
  const id = Number(chat.id);
  const type = chat.type || (id > 0 ? 'private' : id <= -1000000000000 ? 'supergroup' : 'group');
  const c = { id, type };
  if (type === 'private') c.first_name = chat.first_name || from.first_name;
  else c.title = chat.title || `Test ${type} ${id}`;
  if (chat.is_forum) c.is_forum = true;
  return c;
}

function commandEntities(text) {
  const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined;
}

function userContent(body) {
  // `kind` picks a non-text message type with plausible fields.
  const content = {};
  const kind = body.kind || 'text';
  if (kind === 'text') {
    content.text = String(body.text ?? '');
    const entities = body.entities || commandEntities(content.text);
    if (entities) content.entities = entities;
  } else if (kind === 'sticker') {
    content.sticker = { ...fileId('sticker'), type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: body.emoji || '👍' };
  } else if (kind === 'photo') {
    content.photo = [{ ...fileId('photo'), width: 90, height: 90 }, { ...fileId('photo'), width: 800, height: 600 }];
  } else if (kind === 'voice') {
    content.voice = { ...fileId('voice'), duration: Number(body.duration) || 3, mime_type: 'audio/ogg' };
  } else if (kind === 'video_note') {
    content.video_note = { ...fileId('video_note'), length: 240, duration: Number(body.duration) || 3 };
  } else if (kind === 'document') {
    content.document = { ...fileId('document'), file_name: body.file_name || 'file.pdf', mime_type: body.mime_type || 'application/pdf' };
  } else if (kind === 'location') {
    content.location = { latitude: Number(body.latitude ?? 52.52), longitude: Number(body.longitude ?? 13.405) };
  } else if (kind === 'contact') {
    content.contact = { phone_number: String(body.phone_number || '+15550001111'), first_name: body.contact_first_name || 'Contact' };
    if (body.contact_user_id) content.contact.user_id = Number(body.contact_user_id);
  } else {
    throw bad(`unknown message kind ${kind}`);
  }
  if (body.caption !== undefined && kind !== 'text') content.caption = String(body.caption);
  return content;
}

function rememberChat(chat) {
  state.chats.set(chatKey(chat.id), chat);
}

async function injectUserMessage(body) {
  const from = makeUser(body.user);
  const chat = makeChat(body.chat, from);
  rememberChat(chat);
  const token = body.token || null;
  if (body.edit_message_id) {
    // An edited message: same message_id, new content, edit_date set.
    const record = findRecord(chat.id, body.edit_message_id);
    if (!record || record.from_bot) throw bad('no user message with that id to edit');
    const message = { ...record.message, ...userContent(body), edit_date: now() };
    const update = { update_id: nextUpdateId(), edited_message: message };
    recordUserMessage(token, message, update.update_id);
    return pushUpdate(token, update, body);
  }
  const message = { message_id: nextMessageId(chat.id), from, chat, date: now(), ...userContent(body) };
  if (body.message_thread_id) {
    message.message_thread_id = Number(body.message_thread_id);
    if (chat.is_forum) message.is_topic_message = true;
  }
  if (body.reply_to_message_id) {
    const target = findRecord(chat.id, body.reply_to_message_id);
    if (!target) throw bad('reply_to_message_id not found in this chat');
    message.reply_to_message = stripNested(target.message);
  }
  if (body.extra && typeof body.extra === 'object') Object.assign(message, body.extra);
  const update = { update_id: nextUpdateId(), message };
  recordUserMessage(token, message, update.update_id);
  const result = await pushUpdate(token, update, body);
  return { ...result, message };
}

async function injectCallback(body) {
  const from = makeUser(body.user);
  const chatId = body.chat_id !== undefined ? Number(body.chat_id) : from.id;
  const record = findRecord(chatId, body.message_id);
  if (!record || !record.from_bot) throw bad(`no bot message ${body.message_id} in chat ${chatId}`);
  if (record.deleted) throw bad(`bot message ${body.message_id} in chat ${chatId} was deleted`);
  // Catch tests (and bots) pressing buttons that are not on the message.
  const markup = record.message.reply_markup;
  const buttons = markup && markup.inline_keyboard ? markup.inline_keyboard.flat() : [];
  if (!body.force && !buttons.some((b) => b.callback_data === body.data)) {
    throw bad(`message ${body.message_id} has no button with callback_data ${JSON.stringify(body.data)}; `
      + `has ${JSON.stringify(buttons.map((b) => b.callback_data))}`);
  }
  callbackSeq += 1;
  const query = {
    id: String(1000000 + callbackSeq),
    from,
    message: record.message,
    chat_instance: String(chatId),
    data: String(body.data),
  };
  state.callbackQueries.set(query.id, query);
  const update = { update_id: nextUpdateId(), callback_query: query };
  const result = await pushUpdate(body.token || record.token || null, update, body);
  return { ...result, callback_query_id: query.id };
}

// ---------------------------------------------------------------------------
// HTTP wiring
// ---------------------------------------------------------------------------

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '20mb' }));
app.use(express.urlencoded({ extended: true, limit: '20mb' }));

app.all('/bot:token/:method', async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.status(405).json({ ok: false, error_code: 405, description: 'Method Not Allowed' });
    return;
  }
  try {
    const { params, files } = await readParams(req);
    const [status, body] = await callMethod(req.params.token, req.params.method, params, files, req);
    if (!res.headersSent && !res.writableEnded) res.status(status).json(body);
  } catch (e) {
    res.status(500).json({ ok: false, error_code: 500, description: `Internal Server Error: ${e}` });
  }
});

// --- test routes ------------------------------------------------------------

const wrap = (fn) => async (req, res) => {
  try {
    res.json({ ok: true, result: await fn(req) });
  } catch (e) {
    const code = e instanceof ApiError ? e.code : 500;
    res.status(code).json({ ok: false, error: e instanceof ApiError ? e.description : String(e) });
  }
};

function filterByChat(list, req) {
  const { chat_id: chatId, token } = req.query;
  return list.filter((r) => (chatId === undefined || String(r.chat_id) === String(chatId))
    && (token === undefined || r.token === token));
}

app.get('/test/health', wrap(() => ({ port: server.address().port })));

app.post('/test/reset', wrap(() => {
  state = freshState();
  bus.emit('reset');
  return true;
}));

/** Raw update injection: {token?, update (update_id optional), secret_token?}. */
app.post('/test/update', wrap(async (req) => {
  const update = { ...(req.body.update || {}) };
  if (!update.update_id) update.update_id = nextUpdateId();
  for (const key of ['message', 'edited_message']) {
    if (update[key]) {
      if (update[key].chat) rememberChat(update[key].chat);
      if (update[key].chat && update[key].message_id === undefined) update[key].message_id = nextMessageId(update[key].chat.id);
      if (update[key].date === undefined) update[key].date = now();
      if (update[key].chat) recordUserMessage(req.body.token || null, update[key], update.update_id);
    }
  }
  if (update.callback_query) state.callbackQueries.set(String(update.callback_query.id), update.callback_query);
  return pushUpdate(req.body.token || null, update, req.body);
}));

/** A user message: {token?, user, chat?, kind?, text?, caption?, reply_to_message_id?,
 *  message_thread_id?, edit_message_id?, extra?, secret_token?}. */
app.post('/test/message', wrap((req) => injectUserMessage(req.body)));

/** A button press: {token?, user, chat_id?, message_id, data, force?}. */
app.post('/test/callback', wrap((req) => injectCallback(req.body)));

app.get('/test/messages', wrap((req) => {
  const all = [...state.messages.values()].flat().sort((a, b) => a.time - b.time);
  const list = filterByChat(all, req);
  if (req.query.all === '1' || req.query.all === 'true') return list;
  return list.filter((r) => r.from_bot);
}));

app.get('/test/calls', wrap((req) => state.calls.filter((c) => (req.query.method === undefined
  || c.method.toLowerCase() === String(req.query.method).toLowerCase())
  && (req.query.token === undefined || c.token === req.query.token))));

app.get('/test/commands', wrap((req) => [...state.commands.values()]
  .filter((c) => req.query.token === undefined || c.token === req.query.token)));
app.get('/test/deletions', wrap((req) => filterByChat(state.deletions, req)));
app.get('/test/callback_answers', wrap(() => state.callbackAnswers));
app.get('/test/topics', wrap((req) => filterByChat(state.topics, req)));
app.get('/test/updates', wrap(() => (drainLegacyQueue(), state.updates)));
app.get('/test/chats', wrap(() => [...state.chats.values()]));

/** {method, count?, kind: "429"|"500"|"403"|"400"|"timeout", retry_after?, seconds?, chat_id?, description?} */
app.post('/test/faults', wrap((req) => {
  const fault = { count: 1, kind: '429', retry_after: 1, ...req.body };
  fault.kind = String(fault.kind);
  if (!fault.method) throw bad('fault needs a method ("*" for any but getUpdates)');
  if (!['429', '500', '403', '400', 'timeout'].includes(fault.kind)) throw bad(`unknown fault kind ${fault.kind}`);
  fault.count = Number(fault.count);
  state.faults.push(fault);
  return fault;
}));
app.get('/test/faults', wrap(() => state.faults));
/** Ends every injected fault (an outage that is over). */
app.delete('/test/faults', wrap(() => { state.faults.length = 0; return true; }));

/** {strict_private: bool}: refuse (403) a bot's first message to a person who never wrote. */
app.post('/test/options', wrap((req) => {
  if (req.body.strict_private !== undefined) state.strictPrivate = Boolean(req.body.strict_private);
  return { strict_private: state.strictPrivate };
}));

/** {token?, url, secret_token?} sets a webhook as setWebhook would; url null/empty removes it. */
app.post('/test/webhook', wrap((req) => {
  const token = req.body.token || (state.webhooks.size === 1 ? [...state.webhooks.keys()][0] : 'test');
  return METHODS.setWebhook(token, req.body);
}));
app.get('/test/webhook', wrap(() => ({ webhooks: [...state.webhooks.values()], deliveries: state.deliveries })));

// Everything else: telegram-test-api's own routes (client API, its 404).
app.use(tg.webServer);

const server = http.createServer(app);
// Long polls hold requests; keep-alive sockets from aiohttp must not be cut early.
server.keepAliveTimeout = 65000;
server.headersTimeout = 66000;
server.listen(PORT, HOST, () => {
  const { port } = server.address();
  tg.config.port = port;
  tg.config.apiURL = `http://${HOST}:${port}`;
  process.stdout.write(`READY ${port}\n`);
});

function shutdown() {
  bus.emit('reset');
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 500).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// With --exit-on-stdin-close the parent (the Python fixture) holds our stdin: when it
// dies without stopping us, stdin closes and we exit instead of lingering.
if (process.argv.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
