Console.WriteLine("tcl");
