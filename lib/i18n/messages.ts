import type { Locale } from "./locales";
import { doctorMessagesEn, doctorMessagesZh } from "./doctor-messages";
import { homeMessagesEn, homeMessagesZh } from "./home-messages";
import { moduleMessagesEn, moduleMessagesZh } from "./module-messages";
import { operatorMessagesEn, operatorMessagesZh } from "./operator-messages";
import { resolveMessagesEn, resolveMessagesZh } from "./resolve-messages";
import { growthMessagesEn, growthMessagesZh } from "./growth-messages";

/** Every user-facing string of the app. `{name}` placeholders are filled by `format`. */
const en = {
  "app.tagline": "What each Go module mirror serves, and when it picked up each version and retraction.",
  "nav.home": "Home",
  "nav.language": "Language",
  "search.label": "Go module",
  "search.placeholder": "github.com/user/repo or github.com/user/repo@v1.2.3",
  "search.submit": "Check mirrors",
  "search.hint": "Press / to search. Paths are case-sensitive: github.com/IBM/sarama.",
  "search.doctorHint": "A failing go get? Type module@version, or paste the whole error line: the version doctor asks every mirror for it and says which GOPROXY works.",
  "search.doctorValid": "Opens the version doctor for {subject}.",
  "search.doctorFromError": "Opens the version doctor for {subject}, pointing at {mirror}.",
  "search.doctorPending": "Opening the version doctor for {subject}…",
  "search.invalidVersion": "\"{version}\" is not a valid semantic version (expected v1.2.3).",
  "search.empty": "Type a module path.",
  "search.valid": "Valid module path.",
  "search.checking": "Checking…",
  "search.suggestions": "Known modules",
  "search.pending": "Asking every mirror about {module}…",
  "search.rateLimited": "Too many checks from your address: try again in {seconds} s.",
  "app.busy": "This instance is already sending the mirrors as many requests as it allows: try again in {seconds} s.",
  "search.failed": "The check could not be run ({message}). Please try again.",
  // The read budget's 429 page (lib/server/read-budget.ts), answered before any page of ours runs.
  "readBudget.title": "Too many requests",
  "readBudget.body": "This address has read more than {limit} pages and API answers in a minute. Try again in {seconds} s.",
  "readBudget.back": "Back to mirrorlag",
  "notFound.title": "Page not found",
  "notFound.text": "There is no page at this address. Module pages live under /m/, for example /m/github.com/IBM/sarama.",
  "notFound.home": "Back to the home page",
} as const;

export type MessageKey = keyof typeof en | keyof typeof moduleMessagesEn | keyof typeof homeMessagesEn | keyof typeof doctorMessagesEn | keyof typeof resolveMessagesEn | keyof typeof operatorMessagesEn | keyof typeof growthMessagesEn;
export type Messages = Record<MessageKey, string>;

const zhCN: Record<keyof typeof en, string> = {
  "app.tagline": "每个 Go 模块镜像提供了什么，以及它在何时获取到每个版本和撤回。",
  "nav.home": "首页",
  "nav.language": "语言",
  "search.label": "Go 模块",
  "search.placeholder": "github.com/user/repo 或 github.com/user/repo@v1.2.3",
  "search.submit": "检查镜像",
  "search.hint": "按 / 开始搜索。路径区分大小写：github.com/IBM/sarama。",
  "search.doctorHint": "go get 失败了？输入 模块@版本，或粘贴整行报错：版本诊断会向每个镜像请求该版本，并告诉你哪个 GOPROXY 可用。",
  "search.doctorValid": "将打开 {subject} 的版本诊断。",
  "search.doctorFromError": "将打开 {subject} 的版本诊断，并标出 {mirror}。",
  "search.doctorPending": "正在打开 {subject} 的版本诊断…",
  "search.invalidVersion": "“{version}”不是有效的语义化版本（应为 v1.2.3 这样的格式）。",
  "search.empty": "请输入模块路径。",
  "search.valid": "模块路径有效。",
  "search.checking": "检查中…",
  "search.suggestions": "已知模块",
  "search.pending": "正在向所有镜像查询 {module}…",
  "search.rateLimited": "你的地址检查过于频繁，请 {seconds} 秒后再试。",
  "app.busy": "本实例发往各镜像的请求已达上限，请 {seconds} 秒后再试。",
  "search.failed": "无法运行检查（{message}），请重试。",
  "readBudget.title": "请求过多",
  "readBudget.body": "此地址一分钟内读取的页面和 API 回答超过 {limit} 次。请在 {seconds} 秒后重试。",
  "readBudget.back": "返回 mirrorlag",
  "notFound.title": "页面不存在",
  "notFound.text": "此地址没有页面。模块页面位于 /m/ 下，例如 /m/github.com/IBM/sarama。",
  "notFound.home": "返回首页",
};

export const catalog: Record<Locale, Messages> = {
  en: { ...en, ...moduleMessagesEn, ...homeMessagesEn, ...doctorMessagesEn, ...resolveMessagesEn, ...operatorMessagesEn, ...growthMessagesEn },
  "zh-CN": { ...zhCN, ...moduleMessagesZh, ...homeMessagesZh, ...doctorMessagesZh, ...resolveMessagesZh, ...operatorMessagesZh, ...growthMessagesZh },
};

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format(catalog[locale][key], params);
}
