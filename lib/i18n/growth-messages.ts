/** Strings of bounded growth (watch cap, expiry, deleting a module); merged into the one catalog in messages.ts. */
export const growthMessagesEn = {
  "growth.capReached":
    "This instance polls {polled} modules, its limit (MAX_WATCHED_MODULES = {max}): modules checked for the first time are checked and kept, but not watched, until watched modules expire or the operator un-watches some.",
  "growth.watched.title": "Watched modules",
  "growth.watched.help": "Re-checked by the poller while someone looks at them: a module nobody viewed or checked for {days} days is no longer polled (its data stays).",
  "growth.watched.count": "{shown} of {total} watched modules, newest check first",
  "growth.expired": "Not polled since {since}: nobody viewed or checked this module for {days} days. Its data stays; this visit resumes polling.",
  "growth.delete": "Delete module data",
  "growth.deleteConfirm": "Delete every stored check, observation and probe of {module}? This cannot be undone.",
  "growth.deleting": "Deleting…",
  "growth.deleteFailed": "Not deleted: {message}",
  "growth.deleted": "Deleted {module}.",
} as const;

export type GrowthMessageKey = keyof typeof growthMessagesEn;

export const growthMessagesZh: Record<GrowthMessageKey, string> = {
  "growth.capReached":
    "本实例正在轮询 {polled} 个模块，已达上限（MAX_WATCHED_MODULES = {max}）：首次检查的模块会被检查并保存，但不会被关注，直到有关注的模块过期或运维者取消关注。",
  "growth.watched.title": "关注的模块",
  "growth.watched.help": "只要有人查看，轮询程序就会重新检查它们：连续 {days} 天无人查看或检查的模块将不再轮询（数据保留）。",
  "growth.watched.count": "共 {total} 个关注的模块，显示 {shown} 个，最新检查在前",
  "growth.expired": "自 {since} 起不再轮询：已有 {days} 天无人查看或检查此模块。数据仍然保留；本次访问已恢复轮询。",
  "growth.delete": "删除模块数据",
  "growth.deleteConfirm": "删除 {module} 的所有检查、观测和诊断记录？此操作无法撤销。",
  "growth.deleting": "正在删除…",
  "growth.deleteFailed": "未删除：{message}",
  "growth.deleted": "已删除 {module}。",
};
