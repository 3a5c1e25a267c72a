namespace Baimo.AI; internal static class Placeholder {}
