using System.Globalization;
using System.Text;

namespace Baimo.Templates.Builtins;

/// <summary>Python's <c>datetime.strftime</c> (C locale), including glibc's <c>%-d</c> no-padding form.</summary>
internal static class Strftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(DateTime t, string format)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var c = format[++i];
            var noPad = false;
            if (c == '-' && i + 1 < format.Length)
            {
                noPad = true;
                c = format[++i];
            }
            string Num(int value, int width) =>
                noPad ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(new string('0', width), CultureInfo.InvariantCulture);
            var hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
            sb.Append(c switch
            {
                'Y' => t.Year.ToString(CultureInfo.InvariantCulture),
                'y' => Num(t.Year % 100, 2),
                'm' => Num(t.Month, 2),
                'd' => Num(t.Day, 2),
                'e' => t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                'H' => Num(t.Hour, 2),
                'I' => Num(hour12, 2),
                'M' => Num(t.Minute, 2),
                'S' => Num(t.Second, 2),
                'f' => (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'a' => Days[(int)t.DayOfWeek][..3],
                'A' => Days[(int)t.DayOfWeek],
                'b' or 'h' => Months[t.Month - 1][..3],
                'B' => Months[t.Month - 1],
                'j' => Num(t.DayOfYear, 3),
                'w' => ((int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
                'u' => (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture),
                'F' => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'D' => t.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
                'R' => t.ToString("HH:mm", CultureInfo.InvariantCulture),
                'c' => $"{Days[(int)t.DayOfWeek][..3]} {Months[t.Month - 1][..3]} {t.Day,2} {t:HH:mm:ss} {t.Year}",
                'x' => t.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
                'X' => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'z' or 'Z' => "",
                '%' => "%",
                _ => "%" + (noPad ? "-" : "") + c,
            });
        }
        return sb.ToString();
    }
}
