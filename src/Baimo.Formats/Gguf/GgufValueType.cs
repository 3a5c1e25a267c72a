namespace Baimo.Formats.Gguf;

/// <summary>The type tags of GGUF metadata values, as stored in the file.</summary>
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>
/// Maps between GGUF value tags and the plain .NET values Baimo exposes metadata as:
/// scalars are boxed at their stored width (UInt32 → <see cref="uint"/>), strings are <see cref="string"/>,
/// arrays are typed .NET arrays (<c>string[]</c>, <c>float[]</c>, …) and nested arrays are <c>Array[]</c>.
/// Keeping the stored width in the CLR type is what lets a file round-trip without a side table.
/// </summary>
public static class GgufValues
{
    /// <summary>The CLR element type used for values of a tag.</summary>
    public static Type ClrType(GgufValueType t) => t switch
    {
        GgufValueType.UInt8 => typeof(byte),
        GgufValueType.Int8 => typeof(sbyte),
        GgufValueType.UInt16 => typeof(ushort),
        GgufValueType.Int16 => typeof(short),
        GgufValueType.UInt32 => typeof(uint),
        GgufValueType.Int32 => typeof(int),
        GgufValueType.Float32 => typeof(float),
        GgufValueType.Bool => typeof(bool),
        GgufValueType.String => typeof(string),
        GgufValueType.Array => typeof(Array),
        GgufValueType.UInt64 => typeof(ulong),
        GgufValueType.Int64 => typeof(long),
        GgufValueType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unknown GGUF value type"),
    };

    /// <summary>The tag a value is written with.</summary>
    /// <exception cref="ArgumentException">The value is not one of the supported CLR types.</exception>
    public static GgufValueType TagOf(object value) => value switch
    {
        byte => GgufValueType.UInt8,
        sbyte => GgufValueType.Int8,
        ushort => GgufValueType.UInt16,
        short => GgufValueType.Int16,
        uint => GgufValueType.UInt32,
        int => GgufValueType.Int32,
        float => GgufValueType.Float32,
        bool => GgufValueType.Bool,
        string => GgufValueType.String,
        ulong => GgufValueType.UInt64,
        long => GgufValueType.Int64,
        double => GgufValueType.Float64,
        Array => GgufValueType.Array,
        _ => throw new ArgumentException($"{value.GetType().Name} cannot be stored as GGUF metadata"),
    };

    /// <summary>The element tag of an array value.</summary>
    public static GgufValueType ElementTagOf(Array array)
    {
        var e = array.GetType().GetElementType()!;
        if (e == typeof(Array)) return GgufValueType.Array;
        foreach (GgufValueType t in Enum.GetValues<GgufValueType>())
            if (t != GgufValueType.Array && ClrType(t) == e) return t;
        throw new ArgumentException($"arrays of {e.Name} cannot be stored as GGUF metadata");
    }

    /// <summary>Size in bytes of a fixed-size tag; 0 for strings and arrays.</summary>
    public static int FixedSize(GgufValueType t) => t switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
        _ => 0,
    };

    /// <summary>Structural equality of two metadata values (arrays compared element by element).</summary>
    public static bool ValueEquals(object? a, object? b)
    {
        if (a is Array x && b is Array y)
        {
            if (x.GetType() != y.GetType() || x.Length != y.Length) return false;
            for (int i = 0; i < x.Length; i++)
                if (!ValueEquals(x.GetValue(i), y.GetValue(i))) return false;
            return true;
        }
        return Equals(a, b);
    }
}
