"""What 随心花's help centre and closure service say: the help topics and articles, the closure
article and the closure agreement. The site profile matches these texts, so change them with care."""

ARTICLES = {
    "/help/article/bill": ("如何查看本期账单", ["登录随心花后，在“我的账单”中即可查看本期账单和历史账单。"]),
    "/help/article/prepay": ("如何提前还款", ["在“我的账单”中选择需要提前还款的账单，按页面提示操作即可。"]),
    "/help/article/due-date": ("还款日是哪天", ["每月 10 日为还款日，请在当日 23:59 前完成还款。"]),
    "/help/article/overdue": ("逾期会有什么影响", ["逾期将产生罚息，并可能影响您的个人信用记录。"]),
    "/help/article/password": ("如何修改登录密码", ["请在随心花 App“设置-账户与安全”中修改登录密码。"]),
}

CLOSE_ARTICLE_PATH = "/help/article/close-account"
REDESIGN_CLOSE_ARTICLE_PATH = "/help/article/account-deletion"
REDESIGN_ARTICLES = {
    "/help/article/phone": ("如何更换绑定手机号", ["请在随心花 App 中提交更换申请，并完成人脸识别。"]),
    "/help/article/export": ("个人信息查询与导出", ["您可以在随心花 App 中申请导出您的个人信息副本。"]),
}

# Help-centre topics: (title, [(article title, path)]). The site update moved
# and renamed the closure article.
TOPICS = [
    ("热门问题", [("如何查看本期账单", "/help/article/bill"), ("如何提前还款", "/help/article/prepay")]),
    ("借款与还款", [("还款日是哪天", "/help/article/due-date"), ("逾期会有什么影响", "/help/article/overdue")]),
    ("账户与安全", [("如何修改登录密码", "/help/article/password"), ("如何注销随心花账户", "/help/article/close-account")]),
]
REDESIGN_TOPICS = [
    TOPICS[0],
    TOPICS[1],
    ("账户与安全", [("如何修改登录密码", "/help/article/password"), ("如何更换绑定手机号", "/help/article/phone")]),
    ("隐私与个人信息", [("个人信息查询与导出", "/help/article/export"), ("账号注销申请", "/help/article/account-deletion")]),
]

CLOSE_ARTICLE = [
    "为保障您的资金和信息安全，注销前请确认：",
    "1. 所有账单均已结清，无待还款项；2. 账户内无未使用的红包、优惠券或余额；3. 已解除所有自动扣款授权。",
    "注销申请提交后，我们将在 7 个工作日内完成审核，审核结果将以短信通知您。注销后账户无法恢复，请谨慎操作。",
]

AGREEMENT_TITLE = "随心花账户注销协议"
AGREEMENT = [
    "欢迎您使用随心花账户注销服务。在您申请注销前，请仔细阅读并充分理解本协议的全部内容。",
    "一、注销是不可恢复的操作。注销后您将无法再登录、使用随心花账户，也无法找回账户中的任何内容或信息。",
    "二、申请注销前，您的账户须同时满足：所有账单已结清；无未到期的分期；无未完成的交易；账户余额、红包及优惠券已处理。",
    "三、为保障账户安全，我们将通过安全验证和短信验证码确认是您本人在操作。",
    "四、注销申请提交后，我们将在 7 个工作日内完成审核。审核期间账户将被冻结，您可联系客服撤回申请。",
    "五、注销后，您的信用额度将被收回，已获得的红包、优惠券、会员权益视为自动放弃。",
    "六、根据《中华人民共和国个人信息保护法》等法律法规，注销后我们将删除您的个人信息或对其进行匿名化处理。",
    "七、根据《中华人民共和国反洗钱法》等法律法规，我们需在业务关系结束后保存您的身份资料和交易记录至少五年。",
    "八、注销账户不影响已报送至金融信用信息基础数据库的信息，该等信息将按相关规定保存和使用。",
    "九、如您的账户存在安全风险、争议或正处于司法、行政程序中，我们有权暂停处理您的注销申请。",
    "十、本协议未尽事宜，以《随心花用户协议》《隐私政策》为准。",
    "十一、本协议自您勾选同意之日起生效。",
    "（以下无正文）",
]
