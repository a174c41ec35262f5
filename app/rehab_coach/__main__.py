from rehab_coach.cli import main

raise SystemExit(main())
