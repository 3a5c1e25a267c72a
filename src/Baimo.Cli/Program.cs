using Baimo.Cli;

return Cli.Run(args);
