package main

import (
	"fmt"
	"time"

	"github.com/provisionhq/provision/internal/model"
)

// parseToday reads the value of a -today flag: the day it gives, or, when
// it is empty, today's (UTC) with given false.
func parseToday(flag string) (day time.Time, given bool, err error) {
	if flag == "" {
		return model.Day(time.Now()), false, nil
	}
	day, err = time.Parse(model.DateLayout, flag)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("-today %q: want a day, YYYY-MM-DD", flag)
	}
	return day, true, nil
}
