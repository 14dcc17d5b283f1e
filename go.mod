module github.com/reportbot/reportbot

go 1.26.8

require (
	github.com/philippgille/chromem-go v0.7.0
	golang.org/x/text v0.43.0
	gopkg.in/yaml.v3 v3.0.1
)

require github.com/sashabaranov/go-openai v1.43.0
