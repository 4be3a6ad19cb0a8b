from cascade.bench import main

main()
