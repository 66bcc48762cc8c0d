import Foundation
import TLSTool

exit(ServerCommand.main())
