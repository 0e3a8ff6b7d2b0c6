/** Strings of the operator's sign-in page; merged into the one catalog in messages.ts. */
export const operatorMessagesEn = {
  "operator.title": "Operator",
  "operator.help": "Anyone may read everything, run checks and probes and paste a go.mod. Choosing which modules the poller watches (and, later, deleting a module's data and managing webhooks) is the operator's.",
  "operator.modeToken": "This instance has an ADMIN_TOKEN: sign in with it. The API takes it as Authorization: Bearer <token>.",
  "operator.modeLoopback": "This instance listens on loopback only and has no ADMIN_TOKEN: requests made on this machine are the operator's, nobody else's.",
  "operator.modeDisabled": "Operator actions are disabled: this instance listens beyond loopback and has no ADMIN_TOKEN. Set ADMIN_TOKEN and restart to enable them.",
  "operator.youAre": "You are the operator ({via}).",
  "operator.via.token": "token",
  "operator.via.session": "signed in",
  "operator.via.loopback": "a request from this machine",
  "operator.youAreNot": "You are not the operator.",
  "operator.token": "Operator token",
  "operator.signIn": "Sign in",
  "operator.signOut": "Sign out",
  "operator.signingIn": "Signing in…",
  "operator.signedOut": "Signed out.",
} as const;

export type OperatorMessageKey = keyof typeof operatorMessagesEn;

export const operatorMessagesZh: Record<OperatorMessageKey, string> = {
  "operator.title": "运维者",
  "operator.help": "任何人都可以浏览全部内容、运行检查和探测、粘贴 go.mod。选择轮询程序关注哪些模块（以及今后删除模块数据、管理 Webhook）只能由运维者进行。",
  "operator.modeToken": "本实例设置了 ADMIN_TOKEN：请用它登录。API 接受 Authorization: Bearer <token>。",
  "operator.modeLoopback": "本实例只监听回环地址且未设置 ADMIN_TOKEN：只有在本机发出的请求属于运维者。",
  "operator.modeDisabled": "运维操作已停用：本实例监听的不只是回环地址，且未设置 ADMIN_TOKEN。设置 ADMIN_TOKEN 并重启即可启用。",
  "operator.youAre": "你是运维者（{via}）。",
  "operator.via.token": "令牌",
  "operator.via.session": "已登录",
  "operator.via.loopback": "来自本机的请求",
  "operator.youAreNot": "你不是运维者。",
  "operator.token": "运维令牌",
  "operator.signIn": "登录",
  "operator.signOut": "退出登录",
  "operator.signingIn": "正在登录…",
  "operator.signedOut": "已退出登录。",
};
