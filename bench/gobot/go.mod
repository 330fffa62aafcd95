module switchboard.dev/bench/gobot

go 1.23.0
