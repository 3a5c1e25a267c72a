namespace Baimo.Generation; internal static class Placeholder {}
