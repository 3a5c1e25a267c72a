using System.Globalization;
using System.Text;

namespace Baimo.Server.Metrics;

/// <summary>A Prometheus histogram: cumulative bucket counts, sum and count; thread-safe.</summary>
public sealed class Histogram(string name, string help, double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _count;
    private double _sum;
    private readonly object _gate = new();

    public string Name { get; } = name;

    public void Observe(double value)
    {
        if (!double.IsFinite(value) || value < 0) return;
        lock (_gate)
        {
            int i = 0;
            while (i < bounds.Length && value > bounds[i]) i++;
            _counts[i]++;
            _count++;
            _sum += value;
        }
    }

    public long Count { get { lock (_gate) return _count; } }

    public void WriteTo(StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("# HELP ").Append(Name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(Name).Append(" histogram\n");
        lock (_gate)
        {
            long cumulative = 0;
            for (int i = 0; i < bounds.Length; i++)
            {
                cumulative += _counts[i];
                sb.Append(Name).Append("_bucket{le=\"").Append(bounds[i].ToString("R", inv)).Append("\"} ").Append(cumulative).Append('\n');
            }
            sb.Append(Name).Append("_bucket{le=\"+Inf\"} ").Append(_count).Append('\n');
            sb.Append(Name).Append("_sum ").Append(_sum.ToString("R", inv)).Append('\n');
            sb.Append(Name).Append("_count ").Append(_count).Append('\n');
        }
    }
}
