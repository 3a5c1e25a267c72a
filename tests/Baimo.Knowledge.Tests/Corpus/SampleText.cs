using System.Text;

namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>Deterministic filler text in English and Chinese, from a seeded <see cref="Random"/>.</summary>
public sealed class SampleText(Random random, bool chinese)
{
    static readonly string[] EnglishWords =
    [
        "account", "archive", "audit", "backup", "balance", "budget", "cache", "capacity", "chapter", "client", "cluster",
        "contract", "customer", "dashboard", "deadline", "delivery", "deployment", "design", "document", "engine", "estimate",
        "export", "feature", "finance", "forecast", "gateway", "guideline", "hardware", "incident", "index", "invoice",
        "journal", "kernel", "ledger", "license", "maintenance", "manual", "margin", "meeting", "memory", "migration",
        "model", "network", "office", "order", "payment", "pipeline", "policy", "procedure", "project", "quality", "query",
        "quota", "record", "region", "release", "report", "request", "review", "risk", "roadmap", "schedule", "security",
        "server", "service", "shipment", "storage", "supplier", "support", "system", "team", "template", "ticket", "training",
        "update", "vendor", "version", "warehouse", "workflow", "approved", "careful", "daily", "early", "external", "final",
        "internal", "late", "local", "major", "minor", "monthly", "new", "old", "private", "public", "quarterly", "regional",
        "shared", "urgent", "weekly", "checks", "covers", "describes", "includes", "limits", "lists", "needs", "requires",
        "shows", "tracks", "updates", "uses", "the", "a", "for", "with", "and", "of", "in", "on", "by", "per",
    ];

    static readonly string[] ChinesePhrases =
    [
        "公司", "员工", "客户", "合同", "预算", "报销", "审批", "流程", "系统", "数据", "安全", "备份", "服务器", "网络",
        "项目", "进度", "会议", "纪要", "培训", "考核", "绩效", "采购", "供应商", "仓库", "库存", "发货", "订单", "发票",
        "财务", "季度", "年度", "报告", "计划", "目标", "风险", "质量", "标准", "规范", "制度", "手册", "部门", "负责人",
        "需要", "必须", "可以", "已经", "按照", "根据", "提交", "完成", "检查", "更新", "记录", "统计", "分析", "管理",
        "每月", "每周", "及时", "严格", "重要", "所有", "相关", "新的", "内部", "外部", "北京", "上海", "深圳", "成都",
    ];

    public bool Chinese => chinese;

    public string Words(int min, int max)
    {
        int n = random.Next(min, max + 1);
        if (chinese) return string.Concat(Enumerable.Range(0, n).Select(_ => ChinesePhrases[random.Next(ChinesePhrases.Length)]));
        var words = Enumerable.Range(0, n).Select(_ => EnglishWords[random.Next(EnglishWords.Length)]).ToArray();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(' ', words);
    }

    public string Sentence() => Words(chinese ? 4 : 6, chinese ? 12 : 18) + (chinese ? "。" : ".");

    public string Paragraph()
    {
        var sb = new StringBuilder();
        int n = random.Next(1, 5);
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && !chinese) sb.Append(' ');
            sb.Append(Sentence());
        }
        return sb.ToString();
    }

    public string Heading() => Words(chinese ? 2 : 2, chinese ? 4 : 5);

    public string Cell() => random.Next(3) == 0 ? random.Next(1, 100000).ToString() : Words(1, chinese ? 2 : 3);
}
