namespace Baimo.Templates; internal static class Placeholder {}
