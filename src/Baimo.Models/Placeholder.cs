namespace Baimo.Models; internal static class Placeholder {}
