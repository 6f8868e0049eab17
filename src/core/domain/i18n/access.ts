/**
 * Access control, quotas, the chat's drawing line, /queue, /collab, /gallery and /admin.
 */
import type { Dictionary } from './catalogue.js';

export const accessMessages: Dictionary = {
  // Refusals (shown as the {detail} of QUOTA_EXCEEDED / FORBIDDEN)
  'access.quotaDaily': {
    en: 'all {limit} of your drawings for today are used (jobs still in progress count until they finish; failed ones are refunded). Your quota resets at 00:00 UTC ({resetAt}), in {in}.',
    zh: '今日 {limit} 次绘图额度已用完（进行中的任务在完成前也计入，失败的任务会退还）。额度将于 UTC 0 点（{resetAt}）重置，还有 {in}。',
  },
  'access.userCap': {
    en: 'you already have {n} jobs in progress (at most {max} at a time). Please wait for one to finish.',
    zh: '你已有 {n} 个任务在进行中（同时最多 {max} 个），请等其中一个完成后再试。',
  },
  'access.blocked': { en: 'An admin has blocked your account.', zh: '你的账号已被管理员封禁。' },
  'access.notAllowed': { en: 'This chat or account is not on the allowlist.', zh: '该聊天或账号不在白名单中。' },
  'access.inHm': { en: '{h} h {m} min', zh: '{h} 小时 {m} 分钟' },
  'access.inM': { en: '{m} min', zh: '{m} 分钟' },
  'access.off': { en: 'Access control is not enabled on this bot.', zh: '本机器人未启用访问控制。' },

  // /queue
  'queue.description': { en: 'Who is drawing what in this chat, and who is waiting', zh: '查看本群谁在绘制什么、谁在排队' },
  'queue.drawing': { en: '🎨 Drawing now ({n}/{max}):', zh: '🎨 正在绘制（{n}/{max}）：' },
  'queue.drawingLine': { en: '• {name}: {what} — {status}', zh: '• {name}：{what} — {status}' },
  'queue.waiting': { en: '⏳ Waiting ({n}):', zh: '⏳ 排队中（{n}）：' },
  'queue.waitingLine': { en: '{pos}. {name}: {what}', zh: '{pos}. {name}：{what}' },
  'queue.empty': { en: 'Nobody is drawing in this chat right now.', zh: '本聊天当前没有人在绘图。' },
  'queue.noneWaiting': { en: 'Nobody is waiting.', zh: '没有人在排队。' },
  'queue.starting': { en: 'starting', zh: '正在提交' },
  'queue.queuedAtProxy': { en: 'queued at Midjourney', zh: '在 Midjourney 排队' },
  'queue.percent': { en: '{percent}%', zh: '{percent}%' },
  'queue.waitingInput': { en: 'waiting for input', zh: '等待输入' },

  // /collab
  'collab.description': { en: 'Let anyone in this chat press the buttons on any result (on/off)', zh: '允许本群任何人点击任意结果的按钮（on/off）' },
  'collab.argDescription': { en: 'on or off (empty = show the current mode)', zh: 'on 或 off（留空则显示当前状态）' },
  'collab.on': { en: '🤝 Collaborative mode is on: anyone in this chat may press the buttons on any result.', zh: '🤝 已开启协作模式：本聊天中任何人都可以点击任意结果的按钮。' },
  'collab.off': { en: '🔒 Collaborative mode is off: only the requester may press a result\'s buttons.', zh: '🔒 已关闭协作模式：只有发起人可以点击结果的按钮。' },
  'collab.usage': { en: 'Use /collab on or /collab off.', zh: '请使用 /collab on 或 /collab off。' },
  'collab.adminsOnly': { en: 'Only chat admins can switch collaborative mode.', zh: '只有群管理员可以切换协作模式。' },

  // /gallery
  'gallery.description': { en: 'The latest images finished in this chat (last 24 hours)', zh: '本聊天最近完成的图片（24 小时内）' },
  'gallery.title': { en: '🖼 Latest {n} images from this chat (last 24 h):', zh: '🖼 本聊天最近 24 小时的 {n} 张图片：' },
  'gallery.line': { en: '{i}. {name}: {prompt}', zh: '{i}. {name}：{prompt}' },
  'gallery.empty': { en: 'No images were finished in this chat in the last 24 hours.', zh: '本聊天最近 24 小时内没有完成的图片。' },

  // /admin
  'admin.description': { en: 'Bot admin: stats, running, block, unblock, grant', zh: '机器人管理：stats、running、block、unblock、grant' },
  'admin.argDescription': { en: 'stats, running, block <platform:id>, unblock <platform:id> or grant <platform:id> <n>', zh: 'stats、running、block <平台:ID>、unblock <平台:ID> 或 grant <平台:ID> <次数>' },
  'admin.only': { en: 'Only bot admins can use /admin.', zh: '只有机器人管理员可以使用 /admin。' },
  'admin.usage': {
    en: 'Usage: /admin stats | running | block <platform:userId> | unblock <platform:userId> | grant <platform:userId> <n>',
    zh: '用法：/admin stats | running | block <平台:用户ID> | unblock <平台:用户ID> | grant <平台:用户ID> <次数>',
  },
  'admin.badUser': { en: '“{user}” is not a user id like telegram:12345 or discord:67890.', zh: '“{user}” 不是有效的用户 ID（例如 telegram:12345 或 discord:67890）。' },
  'admin.badAmount': { en: '“{n}” is not a whole number between -10000 and 10000.', zh: '“{n}” 不是 -10000 到 10000 之间的整数。' },
  'admin.blocked': { en: '⛔ {user} is blocked.', zh: '⛔ 已封禁 {user}。' },
  'admin.unblocked': { en: '✅ {user} is unblocked.', zh: '✅ 已解封 {user}。' },
  'admin.notBlocked': { en: '{user} was not blocked.', zh: '{user} 未被封禁。' },
  'admin.granted': { en: '🎁 {user}: {n} extra drawings granted; extra balance now {extra}. Successful today: {used}.', zh: '🎁 {user}：已增加 {n} 次额外额度，当前额外余额 {extra}。今日成功：{used}。' },
  'admin.stats': {
    en: '📊 Today ({date} UTC): {submitted} tasks submitted, {successes} succeeded, {failures} failed, {refused} refused by the proxy. Running now: {running}; waiting in chat lines: {waiting}.',
    zh: '📊 今日（{date} UTC）：提交 {submitted} 个任务，成功 {successes} 个，失败 {failures} 个，被代理拒绝 {refused} 个。正在运行：{running}；群内排队：{waiting}。',
  },
  'admin.top': { en: 'Top users today:', zh: '今日用量排行：' },
  'admin.topLine': { en: '{i}. {name} ({user}): {n} succeeded', zh: '{i}. {name}（{user}）：成功 {n} 个' },
  'admin.noUsage': { en: 'No usage yet today.', zh: '今日暂无使用。' },
  'admin.running': { en: '🏃 Running tasks ({n}):', zh: '🏃 正在运行的任务（{n}）：' },
  'admin.runningLine': { en: '• {name} ({user}) in {chat}: {what} — {status}, {minutes} min', zh: '• {name}（{user}）在 {chat}：{what} — {status}，{minutes} 分钟' },
  'admin.noneRunning': { en: 'No tasks are running.', zh: '当前没有运行中的任务。' },
};

