namespace Baimo.Tokenizers; internal static class Placeholder {}
